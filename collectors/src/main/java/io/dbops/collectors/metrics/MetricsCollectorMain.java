package io.dbops.collectors.metrics;

import io.dbops.collectors.KafkaProducers;
import io.dbops.collectors.ServiceConfig;
import io.dbops.events.SlowQuery;
import io.dbops.events.EventCodec;
import io.dbops.events.MetricSample;
import io.dbops.events.Topic;
import io.dbops.metadata.MetadataDb;
import io.dbops.sql.Fingerprinter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics collector process: {@code MetricsCollectorMain CONFIG_FILE}. Every key is listed
 * below; a bad config (or a bad targets file) lists every problem at start-up and exits 2.
 * Credentials are read from the secrets file by each instance's credential reference
 * ({@code REF.user}, {@code REF.password}); secret values are masked in every error text sent.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092        # required
 * secrets.file=/path/secrets.properties  # required
 * metadata.url=jdbc:mariadb://...        # optional (without it: targets.file only)
 * metadata.user=dbops                    # with metadata.url
 * metadata.password.secret=metadata.password   # with metadata.url: key in secrets.file
 * targets.file=/path/targets.yaml        # optional bootstrap targets
 * monitor.user=dbops_monitor             # optional: MySQL user when REF.user is not in the secrets
 * poll.interval.ms=10000                 # optional: full poll per target
 * liveness.interval.ms=1000              # optional: up check per target
 * concurrency=32                         # optional: polls in flight at once
 * deadline.ms=8000                       # optional: a poll still running then is abandoned, target reported down
 * connect.timeout.ms=2000                # optional
 * read.timeout.ms=5000                   # optional: every statement / command
 * inventory.refresh.ms=30000             # optional
 * health.file=/path/health               # optional
 * </pre>
 */
public final class MetricsCollectorMain {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollectorMain.class);
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "secrets.file");
    static final List<String> OPTIONAL = List.of("metadata.url", "metadata.user", "metadata.password.secret", "targets.file",
            "monitor.user", "poll.interval.ms", "liveness.interval.ms", "concurrency", "deadline.ms", "connect.timeout.ms",
            "read.timeout.ms", "inventory.refresh.ms", "health.file");
    static final List<String> NUMERIC = List.of("poll.interval.ms", "liveness.interval.ms", "concurrency", "deadline.ms",
            "connect.timeout.ms", "read.timeout.ms", "inventory.refresh.ms");

    private MetricsCollectorMain() {
    }

    /** Builds the poller for a target from its engine and credentials. */
    public static Function<MetricsTarget, Poller> pollers(Properties secrets, String monitorUser, Poller.Timeouts timeouts,
                                                         Consumer<SlowQuery> slowQueries) {
        Fingerprinter fingerprinter = Fingerprinter.pt();
        return t -> {
            String ref = t.credentialRef();
            String password = ref == null ? null : secrets.getProperty(ref + ".password");
            if (ref != null && password == null) {
                throw new IllegalStateException("secret '" + ref + ".password' is not in the secrets file");
            }
            return switch (t.instance().engine()) {
                case MYSQL, MARIADB -> new MySqlPoller(t, ref == null ? monitorUser : secrets.getProperty(ref + ".user", monitorUser),
                        password, timeouts, fingerprinter, isLocal(t.host()));
                case REDIS -> new RedisPoller(t, password, timeouts);
                case MONGO -> new MongoPoller(t, ref == null ? null : secrets.getProperty(ref + ".user"), password, timeouts, slowQueries);
            };
        };
    }

    /** Masks every secret value of the secrets file. */
    public static Function<String, String> redactor(Properties secrets) {
        List<String> values = new ArrayList<>();
        for (String k : secrets.stringPropertyNames()) {
            String v = secrets.getProperty(k);
            if (v != null && v.length() >= 4) {
                values.add(v);
            }
        }
        return text -> {
            String out = text;
            for (String v : values) {
                out = out.replace(v, "***");
            }
            return out;
        };
    }

    static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** Sends samples to {@code dbops.metrics} keyed by instance id; counts sends that failed. */
    public static Consumer<MetricSample> kafkaSink(KafkaProducer<String, byte[]> producer, AtomicLong failed) {
        return s -> producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), s.instance().id(), EventCodec.toBytes(s)), (md, e) -> {
            if (e != null && failed.incrementAndGet() % 1000 == 1) {
                LOG.warn("cannot send metric samples to Kafka ({} failed so far): {}", failed.get(), e.toString());
            }
        });
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("metrics collector", args, REQUIRED, OPTIONAL, NUMERIC);
        List<MetricsTarget> fromFile = List.of();
        if (config.get("targets.file") != null) {
            try {
                fromFile = MetricsTargets.readFile(Path.of(config.get("targets.file")));
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("metrics collector: bad targets file " + config.get("targets.file") + ":\n  " + e.getMessage());
                System.exit(2);
            }
        }
        Properties secrets = config.secrets();
        MetadataDb db = config.get("metadata.url") == null ? null : config.metadataOrExit();
        Poller.Timeouts timeouts = new Poller.Timeouts(Duration.ofMillis(config.number("connect.timeout.ms", 2000)),
                Duration.ofMillis(config.number("read.timeout.ms", 5000)));
        MetricsCollector.Settings settings = new MetricsCollector.Settings(Duration.ofMillis(config.number("poll.interval.ms", 10_000)),
                Duration.ofMillis(config.number("liveness.interval.ms", 1000)), (int) config.number("concurrency", 32),
                Duration.ofMillis(config.number("deadline.ms", 8000)));
        AtomicLong failedSends = new AtomicLong();
        Path health = config.healthFile();
        try (KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(config.get("kafka.bootstrap"));
             MetricsCollector collector = new MetricsCollector(
                     new MetricsTargets(fromFile, db, Duration.ofMillis(config.number("inventory.refresh.ms", 30_000)), Clock.systemUTC()),
                     pollers(secrets, config.get("monitor.user") == null ? "dbops_monitor" : config.get("monitor.user"), timeouts,
                             q -> producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)))),
                     kafkaSink(producer, failedSends), redactor(secrets), settings, Clock.systemUTC())) {
            collector.start();
            LOG.info("metrics collector started");
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(2000);
                if (health != null) {
                    Files.writeString(health, Instant.now() + " targets=" + collector.targetCount() + " polls=" + collector.polls()
                            + " failures=" + collector.failures() + " samples=" + collector.samples() + " overran=" + collector.overran()
                            + " sendFailures=" + failedSends.get() + "\n");
                }
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
