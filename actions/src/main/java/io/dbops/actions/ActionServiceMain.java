package io.dbops.actions;

import io.dbops.actions.policy.RemediationRules;
import io.dbops.actions.run.Playbook;
import io.dbops.actions.run.RunEngine;
import io.dbops.actions.run.RunEvents;
import io.dbops.actions.run.RunStore;
import io.dbops.collectors.KafkaProducers;
import io.dbops.collectors.ServiceConfig;
import io.dbops.events.ActionRequest;
import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.Topic;
import io.dbops.metadata.MetadataDb;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action service process: {@code ActionServiceMain CONFIG_FILE}. A bad config or rules file
 * lists every problem at start-up and exits 2. Credentials come from the secrets file by key.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092                 # required
 * metadata.url=jdbc:mariadb://...                 # required
 * metadata.user=dbops                             # required
 * metadata.password.secret=metadata.password      # required: key in secrets.file
 * secrets.file=/path/secrets.properties           # required
 * rules.file=/path/rules.yaml                     # optional (default: the shipped rules)
 * mariadb.admin.user=dbops_admin                  # optional
 * mariadb.admin.password.secret=fleet.mariadb.admin.password
 * mariadb.repl.user=dbops_repl                    # optional
 * mariadb.repl.password.secret=fleet.mariadb.repl.password
 * mariadb.monitor.user=dbops_monitor              # optional: the monitoring account new servers get
 * mariadb.monitor.password.secret=fleet.mariadb.monitor.password
 * redis.password.secret=...                       # optional
 * workers=2                                       # optional: runs executed at once
 * lease.ms=10000                                  # optional: a dead worker's runs are resumed after this
 * step.delay.ms=0                                 # optional: slow motion for drills (pause before each step)
 * backup.dir=/path/backups                       # optional (default: ./backups beside the config file);
 *                                                 # provisioned servers go to ../instances beside it
 * worker.id=...                                   # optional (default: the host name): the Kafka static
 *                                                 # member id, so a restarted service takes over at once
 * health.file=/path/health                        # optional
 * </pre>
 *
 * Consumes {@code dbops.alarms} (remembered so incidents can be matched on their members; the
 * last hour is re-read at start), {@code dbops.incidents} and {@code dbops.actions.requests}
 * (consumer group, committed after handling: at-least-once, and the dedupe keys make a
 * redelivered event start nothing new); unreadable events go to {@code dbops.deadletter}.
 */
public final class ActionServiceMain {
    private static final Logger LOG = LoggerFactory.getLogger(ActionServiceMain.class);
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "metadata.url", "metadata.user", "metadata.password.secret", "secrets.file");
    static final List<String> OPTIONAL = List.of("rules.file", "mariadb.admin.user", "mariadb.admin.password.secret", "mariadb.repl.user",
            "mariadb.repl.password.secret", "mariadb.monitor.user", "mariadb.monitor.password.secret", "redis.password.secret", "workers", "lease.ms", "step.delay.ms", "worker.id", "backup.dir", "health.file",
            "placement.model", "placement.memory.reserve.gb", "placement.disk.reserve.gb", "placement.rack.spread.hard");
    static final List<String> NUMERIC = List.of("workers", "lease.ms", "step.delay.ms", "placement.memory.reserve.gb", "placement.disk.reserve.gb");

    private ActionServiceMain() {
    }

    /** The rules in {@code file}, or the shipped ones when null. */
    public static RemediationRules rules(Path file, Map<String, Playbook> playbooks) throws Exception {
        if (file != null) {
            return RemediationRules.parse(file.toString(), Files.readString(file), playbooks);
        }
        try (InputStream in = ActionServiceMain.class.getResourceAsStream("/actions/default-rules.yaml")) {
            return RemediationRules.parse("default-rules.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8), playbooks);
        }
    }

    /**
     * Applies the remediation rules admins saved in the dashboard (they replace the file while
     * saved), checked every few seconds; rules that do not parse are refused and the old ones kept.
     */
    static final class PolicyReloader {
        private final io.dbops.actions.policy.PolicyStore store;
        private final ActionService service;
        private final Map<String, Playbook> playbooks;
        private Instant applied;
        private long lastCheck;

        PolicyReloader(io.dbops.actions.policy.PolicyStore store, ActionService service, Map<String, Playbook> playbooks) {
            this.store = store;
            this.service = service;
            this.playbooks = playbooks;
        }

        void check() {
            if (System.currentTimeMillis() - lastCheck < 3000) {
                return;
            }
            lastCheck = System.currentTimeMillis();
            try {
                var stored = store.remediationRules();
                if (stored.isEmpty() || stored.get().updatedAt().equals(applied)) {
                    return;
                }
                applied = stored.get().updatedAt();
                try {
                    service.rules(RemediationRules.parse("action_policies (saved by " + stored.get().updatedBy() + ")", stored.get().yaml(), playbooks));
                    LOG.info("remediation rules saved by {} at {} applied: {} rules", stored.get().updatedBy(), applied, service.rules().rules().size());
                } catch (RemediationRules.RulesException e) {
                    LOG.warn("remediation rules saved by {} refused, the previous ones stay: {}", stored.get().updatedBy(), e.getMessage());
                }
            } catch (java.sql.SQLException e) {
                LOG.warn("cannot read the saved remediation rules: {}", e.getMessage());
            }
        }
    }

    /** Publishes run events to {@code dbops.actions.events}, keyed by run id; failed sends are left to the relay. */
    public static RunEvents.Publisher kafkaPublisher(KafkaProducer<String, byte[]> producer) {
        return (e, acked) -> producer.send(new ProducerRecord<>(Topic.ACTION_EVENTS.topicName(), e.runId(), EventCodec.toBytes(e)), (md, ex) -> {
            if (ex != null) {
                LOG.warn("cannot publish an event of {} (the relay tries again): {}", e.runId(), ex.toString());
            } else {
                acked.run();
            }
        });
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("action service", args, REQUIRED, OPTIONAL, NUMERIC);
        Map<String, Playbook> playbooks = ActionService.builtInPlaybooks();
        RemediationRules rules;
        try {
            rules = rules(config.get("rules.file") == null ? null : Path.of(config.get("rules.file")), playbooks);
        } catch (RemediationRules.RulesException e) {
            System.err.println("action service: bad rules " + e.getMessage());
            System.exit(2);
            return;
        }
        Properties secrets = config.secrets();
        FleetAccess.Credentials creds = new FleetAccess.Credentials(
                or(config.get("mariadb.admin.user"), "dbops_admin"), or(config.get("mariadb.admin.password.secret"), "fleet.mariadb.admin.password"),
                or(config.get("mariadb.repl.user"), "dbops_repl"), or(config.get("mariadb.repl.password.secret"), "fleet.mariadb.repl.password"),
                config.get("redis.password.secret"), or(config.get("mariadb.monitor.user"), "dbops_monitor"),
                or(config.get("mariadb.monitor.password.secret"), "fleet.mariadb.monitor.password"));
        String bootstrap = config.get("kafka.bootstrap");
        String workerId = or(config.get("worker.id"), InetAddress.getLocalHost().getHostName());
        String owner = workerId + ":" + ProcessHandle.current().pid();
        Path health = config.healthFile();
        try (MetadataDb db = config.metadataOrExit();
             KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(bootstrap)) {
            db.migrate();
            RunStore store = new RunStore(db.dataSource());
            RunEvents events = new RunEvents(store, kafkaPublisher(producer), secretValues(secrets));
            events.startRelay(Duration.ofSeconds(1));
            io.dbops.actions.backup.BackupCatalog catalog = new io.dbops.actions.backup.BackupCatalog(db.dataSource());
            Path backupDir = config.get("backup.dir") != null ? Path.of(config.get("backup.dir"))
                    : Path.of(args[0]).toAbsolutePath().getParent().resolve("backups");
            io.dbops.actions.playbooks.LivePlacement placement = io.dbops.actions.playbooks.LivePlacement.fromConfig(config, db.dataSource());
            Fleet fleet = new FleetAccess(db.inventory(), secrets, creds, producer, catalog, backupDir, placement);
            RunEngine engine = new RunEngine(store, events, playbooks, fleet, owner, Duration.ofMillis(config.number("lease.ms", 10_000)));
            engine.stepDelay(Duration.ofMillis(config.number("step.delay.ms", 0)));
            try (ActionService service = new ActionService(store, events, playbooks, rules, db.inventory(), engine)) {
                service.placementOutcomes(placement.history());
                AtomicLong handled = new AtomicLong();
                // incidents read before their alarms (after a restart the alarm reader starts an hour back) wait for it
                service.alarmReader(true);
                Thread alarms = daemon("alarm-index", () -> readAlarms(bootstrap, service, producer));
                Thread triggers = daemon("triggers", () -> readTriggers(bootstrap, workerId, service, producer, handled));
                alarms.start();
                triggers.start();
                service.startWorkers((int) config.number("workers", 2), Duration.ofMillis(250));
                service.startScheduler(catalog, Duration.ofSeconds(20));
                LOG.info("action service {} started: {} playbooks, {} rules", owner, playbooks.size(), rules.rules().size());
                PolicyReloader policies = new PolicyReloader(new io.dbops.actions.policy.PolicyStore(db.dataSource()), service, playbooks);
                while (alarms.isAlive() && triggers.isAlive()) {
                    Thread.sleep(1000);
                    policies.check();
                    if (health != null) {
                        Files.writeString(health, Instant.now() + " worker=" + owner + " triggers=" + handled.get() + " rules="
                                + service.rules().rules().size() + "\n");
                    }
                }
                LOG.error("a consumer thread stopped; exiting so the service is restarted");
                System.exit(1);
            }
        }
    }

    private static void readAlarms(String bootstrap, ActionService service, KafkaProducer<String, byte[]> producer) {
        Map<String, Object> c = consumerConfig(bootstrap, null);
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topic.ALARMS.topicName()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(parts);
            Map<TopicPartition, Long> since = new HashMap<>();
            long from = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
            parts.forEach(p -> since.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = offsets.get(p);
                if (o == null) {
                    consumer.seekToEnd(List.of(p));
                } else {
                    consumer.seek(p, o.offset());
                }
            }
            long checked = 0;
            while (true) {
                var records = consumer.poll(Duration.ofMillis(200));
                long now = System.currentTimeMillis();
                if (records.isEmpty() && now - checked >= 500) {
                    // read up to the last stable offsets asked for now (read_committed: what is committed): an incident
                    // waiting for its alarms need wait no longer (an empty poll alone may only mean a broker is away)
                    checked = now;
                    try {
                        Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(2));
                        if (parts.stream().allMatch(p -> consumer.position(p, Duration.ofSeconds(2)) >= ends.getOrDefault(p, Long.MAX_VALUE))) {
                            service.alarmsReadUpTo(now);
                        }
                    } catch (org.apache.kafka.common.KafkaException e) {
                        // not known now; incidents wait for their alarms up to their limit
                    }
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        service.onAlarm(EventCodec.fromBytes(r.value(), Alarm.class));
                    } catch (RuntimeException e) {
                        deadLetter(producer, r, e);
                    }
                }
            }
        }
    }

    private static void readTriggers(String bootstrap, String workerId, ActionService service, KafkaProducer<String, byte[]> producer,
                                     AtomicLong handled) {
        Map<String, Object> c = consumerConfig(bootstrap, "dbops-action-service");
        // static membership: a service restarted after a crash gets its partitions back at once instead of
        // waiting for the dead member's session to expire
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "action-service-" + workerId);
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.INCIDENTS.topicName(), Topic.ACTION_REQUESTS.topicName()));
            while (true) {
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        if (r.topic().equals(Topic.INCIDENTS.topicName())) {
                            service.onIncident(EventCodec.fromBytes(r.value(), Incident.class));
                        } else {
                            service.onRequest(EventCodec.fromBytes(r.value(), ActionRequest.class));
                        }
                        handled.incrementAndGet();
                    } catch (java.sql.SQLException e) {
                        // the metadata DB is away: do not commit, read it again after a pause
                        LOG.error("cannot handle {} {}: {}; retrying", r.topic(), r.key(), e.getMessage());
                        sleep(2000);
                        consumer.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        break;
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        deadLetter(producer, r, e);
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
    }

    private static Map<String, Object> consumerConfig(String bootstrap, String group) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group == null ? "dbops-action-index-" + UUID.randomUUID() : group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, group == null ? "latest" : "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return c;
    }

    private static void deadLetter(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> r, Exception e) {
        LOG.warn("unreadable event on {} at {}: {}", r.topic(), r.offset(), e.getMessage());
        DeadLetter dl = new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "actions", r.topic(), r.partition(), r.offset(), r.key(),
                e.getMessage(), r.value());
        producer.send(new ProducerRecord<>(Topic.DEADLETTER.topicName(), r.key(), EventCodec.toBytes(dl)));
    }

    /** Every secret value, to mask in run logs. */
    static List<String> secretValues(Properties secrets) {
        List<String> out = new ArrayList<>();
        secrets.stringPropertyNames().forEach(k -> out.add(secrets.getProperty(k)));
        return out;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String or(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }
}
