package io.dbops.collectors.explain;

import io.dbops.collectors.KafkaProducers;
import io.dbops.metadata.MetadataDb;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * min.total.seconds=1                          # optional: digests with less slow time are not explained
 * per.instance.per.minute=6                    # optional
 * reexplain.minutes=60                         # optional
 * timeout.seconds=2                            # optional: EXPLAIN time limit
 * health.file=/path/health                     # optional
 * </pre>
 */
public final class ExplainCaptureMain {
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "metadata.url", "metadata.user", "metadata.password.secret",
            "secrets.file");
    static final List<String> OPTIONAL = List.of("monitor.user", "min.total.seconds", "per.instance.per.minute",
            "reexplain.minutes", "timeout.seconds", "health.file");

    private ExplainCaptureMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ExplainCaptureMain CONFIG_FILE");
            System.exit(2);
        }
        Properties config = load(Path.of(args[0]));
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            System.err.println("explain capture: bad config " + args[0] + ":\n  " + String.join("\n  ", problems));
            System.exit(2);
        }
        Properties secrets = load(Path.of(config.getProperty("secrets.file")));
        String password = secrets.getProperty(config.getProperty("metadata.password.secret"));
        Path health = config.getProperty("health.file") == null ? null : Path.of(config.getProperty("health.file"));
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getProperty("kafka.bootstrap"),
                ConsumerConfig.GROUP_ID_CONFIG, "dbops-explain",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (MetadataDb db = MetadataDb.connect(config.getProperty("metadata.url"), config.getProperty("metadata.user"), password);
             var producer = KafkaProducers.reliable(config.getProperty("kafka.bootstrap"));
             var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(io.dbops.events.Topic.SLOWSQL_STATS.topicName()));
            ExplainCapture capture = new ExplainCapture(consumer, producer,
                    new InventoryReplicas(db, secrets, config.getProperty("monitor.user", "dbops_monitor"), Duration.ofSeconds(30),
                            Clock.systemUTC()),
                    new ExplainPolicy(Double.parseDouble(config.getProperty("min.total.seconds", "1")),
                            Integer.parseInt(config.getProperty("per.instance.per.minute", "6")),
                            Duration.ofMinutes(Long.parseLong(config.getProperty("reexplain.minutes", "60")))),
                    new ExplainRunner(Integer.parseInt(config.getProperty("timeout.seconds", "2"))), Clock.systemUTC());
            while (!Thread.currentThread().isInterrupted()) {
                capture.pollOnce(Duration.ofSeconds(1));
                if (health != null) {
                    Files.writeString(health, Instant.now() + " explained=" + capture.explained() + "\n");
                }
            }
        }
    }

    static List<String> problems(Properties config) {
        List<String> problems = new ArrayList<>();
        for (String key : REQUIRED) {
            if (config.getProperty(key) == null || config.getProperty(key).isBlank()) {
                problems.add("missing required key " + key);
            }
        }
        for (String key : config.stringPropertyNames()) {
            if (!REQUIRED.contains(key) && !OPTIONAL.contains(key)) {
                problems.add("unknown key " + key);
            }
        }
        for (String key : List.of("min.total.seconds", "per.instance.per.minute", "reexplain.minutes", "timeout.seconds")) {
            String v = config.getProperty(key);
            if (v != null && !v.matches("\\d+(\\.\\d+)?")) {
                problems.add(key + " must be a number, got '" + v + "'");
            }
        }
        return problems;
    }

    private static Properties load(Path file) throws java.io.IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
