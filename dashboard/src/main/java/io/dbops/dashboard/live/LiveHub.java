package io.dbops.dashboard.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.dashboard.SlowSqlStore;
import io.dbops.events.ActionEvent;
import io.dbops.events.Alarm;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the live views from Kafka: one consumer (no group: every dashboard process reads every
 * partition, {@code read_committed}) over metrics (from 10 minutes back, for the charts), alarms
 * (24 hours back), incidents (the compacted topic from the start), run events (from now) and
 * slow-SQL digests (saved for the slow-SQL pages). Alarms, incidents and run events go out at once
 * to the clients allowed to see them; fleet rows are coalesced and sent once a second.
 */
public final class LiveHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    private static final int KEEP_ALARMS = 5_000;
    private final ObjectMapper json = EventCodec.mapper();
    private final String bootstrap;
    private final RunStore runs;
    private final SlowSqlStore slowSql;
    private final FleetView fleet = new FleetView();
    private final Map<String, Incident> incidents = new ConcurrentHashMap<>();
    private final Map<String, io.dbops.events.RuleUpdate> rulePacks = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Alarm> alarms = new LinkedHashMap<>();
    private final Map<String, FleetView.Row> dirty = new LinkedHashMap<>();
    private final Map<String, String> runBusinessLine = new ConcurrentHashMap<>();
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "live-send");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile boolean running = true;

    public LiveHub(String bootstrap, RunStore runs, SlowSqlStore slowSql) {
        this.bootstrap = bootstrap;
        this.runs = runs;
        this.slowSql = slowSql;
    }

    public void start() {
        thread = new Thread(this::loop, "live-hub");
        thread.setDaemon(true);
        thread.start();
        io.dbops.dashboard.web.Periodic.every("live-fleet", 1000, () -> running, LOG, this::flushFleet);
    }

    /** Whether the initial backlog (incidents, recent alarms) has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public long skipped() {
        return skipped.get();
    }

    public FleetView fleet() {
        return fleet;
    }

    public List<Incident> incidents() {
        List<Incident> out = new ArrayList<>(incidents.values());
        out.sort((a, b) -> b.openedAt().compareTo(a.openedAt()));
        return out;
    }

    /** The alarm rule packs in force (the latest published version of each), by name. */
    public Map<String, io.dbops.events.RuleUpdate> rulePacks() {
        return new java.util.TreeMap<>(rulePacks);
    }

    public Incident incident(String id) {
        return incidents.get(id);
    }

    /** Recent alarms (latest state of each), newest first. */
    public List<Alarm> alarms() {
        List<Alarm> out;
        synchronized (alarms) {
            out = new ArrayList<>(alarms.values());
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public Alarm alarm(String id) {
        synchronized (alarms) {
            return alarms.get(id);
        }
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    public void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
        s.close();
    }

    /** Sends an event the dashboard itself caused (an acknowledgement) to the clients that may see it. */
    public void publish(String kind, String event, Object payload, Collection<String> businessLines) {
        String data = write(payload);
        for (Subscriber s : subscribers) {
            if (s.kinds.contains(kind) && s.who.canSeeAny(businessLines)) {
                s.offer(event, data, senders);
            }
        }
        subscribers.removeIf(Subscriber::closed);
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void loop() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "dbops-dashboard-live");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                position(c);
                while (running) {
                    var records = c.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        handle(r);
                    }
                    if (!caughtUp && records.isEmpty()) {
                        caughtUp = true;
                        LOG.info("live views caught up: {} incidents, {} alarms", incidents.size(), alarms.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                LOG.warn("live feed interrupted, reconnecting in 2 s: {}", e.toString());
                sleep(2000);
            }
        }
    }

    private void position(KafkaConsumer<byte[], byte[]> c) {
        Instant now = Instant.now();
        Map<Topic, Instant> from = new LinkedHashMap<>();
        from.put(Topic.INCIDENTS, Instant.EPOCH);
        from.put(Topic.RULES, Instant.EPOCH);
        from.put(Topic.ALARMS, now.minus(Duration.ofHours(24)));
        from.put(Topic.METRICS, now.minus(FleetView.KEEP));
        from.put(Topic.ACTION_EVENTS, now);
        from.put(Topic.SLOWSQL_STATS, now.minus(Duration.ofHours(2)));
        List<TopicPartition> all = new ArrayList<>();
        Map<TopicPartition, Long> times = new HashMap<>();
        for (var e : from.entrySet()) {
            var infos = c.partitionsFor(e.getKey().topicName(), Duration.ofSeconds(10));
            if (infos == null) {
                continue;
            }
            for (var info : infos) {
                TopicPartition tp = new TopicPartition(info.topic(), info.partition());
                all.add(tp);
                times.put(tp, e.getValue().toEpochMilli());
            }
        }
        c.assign(all);
        Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(times, Duration.ofSeconds(10));
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition tp : all) {
            OffsetAndTimestamp o = offsets.get(tp);
            if (o == null) {
                toEnd.add(tp);
            } else {
                c.seek(tp, o.offset());
            }
        }
        c.seekToEnd(toEnd);
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        try {
            switch (r.topic()) {
                case "dbops.metrics" -> {
                    MetricSample s = EventCodec.fromBytes(r.value(), MetricSample.class);
                    FleetView.Row row = fleet.apply(s);
                    if (row != null) {
                        synchronized (dirty) {
                            dirty.put(row.id(), row);
                        }
                    }
                }
                case "dbops.alarms" -> onAlarm(EventCodec.fromBytes(r.value(), Alarm.class));
                case "dbops.incidents" -> {
                    if (r.value() == null) {
                        incidents.remove(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
                        return;
                    }
                    onIncident(EventCodec.fromBytes(r.value(), Incident.class));
                }
                case "dbops.rules" -> {
                    if (r.value() != null) {
                        io.dbops.events.RuleUpdate u = EventCodec.fromBytes(r.value(), io.dbops.events.RuleUpdate.class);
                        rulePacks.put(u.pack(), u);
                    }
                }
                case "dbops.actions.events" -> onRunEvent(EventCodec.fromBytes(r.value(), ActionEvent.class));
                case "dbops.slowsql.stats" -> slowSql.save(EventCodec.fromBytes(r.value(), SlowSqlDigest.class));
                default -> {
                }
            }
        } catch (Exception e) {
            if (skipped.incrementAndGet() <= 5) {
                LOG.warn("skipped a record of {} at offset {}: {}", r.topic(), r.offset(), e.getMessage());
            }
        }
    }

    private void onAlarm(Alarm a) {
        synchronized (alarms) {
            alarms.remove(a.id());
            alarms.put(a.id(), a);
            while (alarms.size() > KEEP_ALARMS) {
                alarms.remove(alarms.keySet().iterator().next());
            }
        }
        if (!caughtUp) {
            return;
        }
        InstanceRef i = a.instance();
        String bl = i == null ? null : i.businessLine();
        String data = write(a);
        for (Subscriber s : subscribers) {
            if (s.kinds.contains("alarm") && s.who.canSee(bl) && (s.instance == null || (i != null && s.instance.equals(i.id())))) {
                s.offer("alarm", data, senders);
            }
        }
    }

    private void onIncident(Incident inc) {
        Incident before = incidents.get(inc.id());
        if (before != null && before.time().isAfter(inc.time())) {
            return; // an older version delivered late
        }
        incidents.put(inc.id(), inc);
        if (!caughtUp) {
            return;
        }
        String data = write(inc);
        for (Subscriber s : subscribers) {
            if (s.kinds.contains("incident") && s.who.canSeeAny(inc.businessLines())) {
                s.offer("incident", data, senders);
            }
        }
    }

    private void onRunEvent(ActionEvent e) throws Exception {
        String bl = runBusinessLine.get(e.runId());
        if (bl == null) {
            Run run = runs.run(e.runId()).orElse(null);
            bl = run == null ? null : run.businessLine();
            if (bl != null) {
                runBusinessLine.put(e.runId(), bl);
            }
        }
        String data = write(e);
        for (Subscriber s : subscribers) {
            if (s.kinds.contains("run") && s.who.canSee(bl) && (s.run == null || s.run.equals(e.runId()))) {
                s.offer("run", data, senders);
            }
        }
        if (runBusinessLine.size() > 10_000) {
            runBusinessLine.clear();
        }
    }

    private void flushFleet() {
        List<FleetView.Row> rows;
        synchronized (dirty) {
            if (dirty.isEmpty()) {
                return;
            }
            rows = new ArrayList<>(dirty.values());
            dirty.clear();
        }
        for (Subscriber s : subscribers) {
            if (!s.kinds.contains("fleet")) {
                continue;
            }
            List<FleetView.Row> mine = rows.stream()
                    .filter(r -> s.who.canSee(r.businessLine()) && (s.instance == null || s.instance.equals(r.id()))).toList();
            if (!mine.isEmpty()) {
                s.offer("fleet", write(mine), senders);
            }
        }
        subscribers.removeIf(Subscriber::closed);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        // the streams end with the web server (closing them here, after it stopped, would act on dead requests)
        subscribers.clear();
        senders.shutdownNow();
    }
}
