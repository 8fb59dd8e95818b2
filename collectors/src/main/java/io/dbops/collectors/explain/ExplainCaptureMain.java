package io.dbops.collectors.explain;

import io.dbops.collectors.KafkaProducers;
import io.dbops.collectors.ServiceConfig;
import io.dbops.metadata.MetadataDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The EXPLAIN capture process: {@code ExplainCaptureMain CONFIG_FILE}; every problem with the config
 * is listed at start.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092              # required
 * metadata.url=jdbc:mariadb://...              # required
 * metadata.user=dbops                          # required
 * metadata.password.secret=metadata.password   # required: key in secrets.file
 * secrets.file=/path/secrets.properties        # required: also REF.password / REF.user of replicas
 * monitor.user=dbops_monitor                   # optional: user when a secret has no REF.user
 * top.per.window=3                             # optional: query ids per instance window considered
 * min.total.seconds=1                          # optional: digests with less slow time are not explained
 * per.instance.per.minute=6                    # optional
 * reexplain.minutes=60                         # optional
 * timeout.seconds=2                            # optional: EXPLAIN time limit
 * health.file=/path/health                     # optional
 * </pre>
 */
public final class ExplainCaptureMain {
    static final List<String> OPTIONAL = List.of("monitor.user", "top.per.window", "min.total.seconds", "per.instance.per.minute",
            "reexplain.minutes", "timeout.seconds", "health.file");
    static final List<String> NUMERIC = List.of("top.per.window", "min.total.seconds", "per.instance.per.minute", "reexplain.minutes", "timeout.seconds");

    private ExplainCaptureMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("explain capture", args, ServiceConfig.METADATA_KEYS, OPTIONAL, NUMERIC);
        Path health = config.healthFile();
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap"),
                ConsumerConfig.GROUP_ID_CONFIG, "dbops-explain",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (MetadataDb db = config.metadataOrExit();
             var producer = KafkaProducers.reliable(config.get("kafka.bootstrap"));
             var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(io.dbops.events.Topic.SLOWSQL_STATS.topicName()));
            ExplainCapture capture = new ExplainCapture(consumer, producer,
                    new InventoryReplicas(db, config.secrets(), config.get("monitor.user") == null ? "dbops_monitor"
                            : config.get("monitor.user"), Duration.ofSeconds(30),
                            Clock.systemUTC()),
                    new ExplainPolicy((int) config.number("top.per.window", 3), config.decimal("min.total.seconds", 1),
                            (int) config.number("per.instance.per.minute", 6),
                            Duration.ofMinutes(config.number("reexplain.minutes", 60))),
                    new ExplainRunner((int) config.number("timeout.seconds", 2)), Clock.systemUTC(), Duration.ofSeconds(5));
            while (!Thread.currentThread().isInterrupted()) {
                capture.pollOnce(Duration.ofSeconds(1));
                if (health != null) {
                    Files.writeString(health, Instant.now() + " explained=" + capture.explained() + "\n");
                }
            }
        }
    }
}
