package io.dbops.collectors.slowlog;

import io.dbops.collectors.KafkaProducers;
import io.dbops.metadata.MetadataDb;
import io.dbops.sql.Fingerprinter;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow-log collector process: {@code SlowLogCollectorMain CONFIG_FILE}. Every key of the
 * config is listed below; a bad config lists every problem at start-up. The metadata password is
 * read from the secrets file by key, never from the config itself.
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092        # required
 * metadata.url=jdbc:mariadb://...        # required
 * metadata.user=dbops                    # required
 * metadata.password.secret=metadata.password   # required: key in secrets.file
 * secrets.file=/path/secrets.properties  # required
 * state.dir=/path/state                  # required: delivered positions
 * poll.interval.ms=1000                  # optional
 * quiet.period.ms=2000                   # optional: when the last entry of a file counts as complete
 * inventory.refresh.ms=30000             # optional
 * health.file=/path/health               # optional: touched after every round
 * </pre>
 */
public final class SlowLogCollectorMain {
    private static final Logger LOG = LoggerFactory.getLogger(SlowLogCollectorMain.class);
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "metadata.url", "metadata.user", "metadata.password.secret",
            "secrets.file", "state.dir");
    static final List<String> OPTIONAL = List.of("poll.interval.ms", "quiet.period.ms", "inventory.refresh.ms", "health.file");

    private SlowLogCollectorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SlowLogCollectorMain CONFIG_FILE");
            System.exit(2);
        }
        Properties config = load(Path.of(args[0]));
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            System.err.println("slow-log collector: bad config " + args[0] + ":\n  " + String.join("\n  ", problems));
            System.exit(2);
        }
        Properties secrets = load(Path.of(config.getProperty("secrets.file")));
        String password = secrets.getProperty(config.getProperty("metadata.password.secret"));
        if (password == null) {
            System.err.println("slow-log collector: secret '" + config.getProperty("metadata.password.secret") + "' not in "
                    + config.getProperty("secrets.file"));
            System.exit(2);
        }
        Duration poll = Duration.ofMillis(Long.parseLong(config.getProperty("poll.interval.ms", "1000")));
        Duration quiet = Duration.ofMillis(Long.parseLong(config.getProperty("quiet.period.ms", "2000")));
        Duration refresh = Duration.ofMillis(Long.parseLong(config.getProperty("inventory.refresh.ms", "30000")));
        Path health = config.getProperty("health.file") == null ? null : Path.of(config.getProperty("health.file"));
        try (MetadataDb db = MetadataDb.connect(config.getProperty("metadata.url"), config.getProperty("metadata.user"), password);
             KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(config.getProperty("kafka.bootstrap"));
             SlowLogCollector collector = new SlowLogCollector(producer, new InventoryTargets(db, refresh, Clock.systemUTC()),
                     Path.of(config.getProperty("state.dir")), Fingerprinter.pt(), quiet, Clock.systemUTC())) {
            LOG.info("slow-log collector started");
            while (!Thread.currentThread().isInterrupted()) {
                int n = collector.pollOnce();
                if (n > 0) {
                    LOG.info("delivered {} slow queries ({} in all, {} dead letters)", n, collector.sent(), collector.deadLettered());
                }
                if (health != null) {
                    Files.writeString(health, Instant.now() + " sent=" + collector.sent() + " deadLettered="
                            + collector.deadLettered() + "\n");
                }
                Thread.sleep(poll.toMillis());
            }
        }
    }

    /** Every problem with the config: missing required keys, unknown keys, numbers that are not. */
    static List<String> problems(Properties config) {
        List<String> problems = new ArrayList<>();
        for (String key : REQUIRED) {
            if (config.getProperty(key) == null || config.getProperty(key).isBlank()) {
                problems.add("missing required key " + key);
            }
        }
        for (String key : config.stringPropertyNames()) {
            if (!REQUIRED.contains(key) && !OPTIONAL.contains(key)) {
                problems.add("unknown key " + key + " (known: " + String.join(", ", REQUIRED) + ", " + String.join(", ", OPTIONAL) + ")");
            }
        }
        for (String key : List.of("poll.interval.ms", "quiet.period.ms", "inventory.refresh.ms")) {
            String v = config.getProperty(key);
            if (v != null && !v.matches("\\d+")) {
                problems.add(key + " must be a whole number of milliseconds, got '" + v + "'");
            }
        }
        return problems;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
