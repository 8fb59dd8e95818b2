package io.dbops.collectors.slowlog;

import io.dbops.collectors.KafkaProducers;
import io.dbops.collectors.ServiceConfig;
import io.dbops.metadata.MetadataDb;
import io.dbops.sql.Fingerprinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
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
    static final List<String> REQUIRED = Stream.concat(ServiceConfig.METADATA_KEYS.stream(), Stream.of("state.dir")).toList();
    static final List<String> OPTIONAL = List.of("poll.interval.ms", "quiet.period.ms", "inventory.refresh.ms", "health.file");
    static final List<String> NUMERIC = List.of("poll.interval.ms", "quiet.period.ms", "inventory.refresh.ms");

    private SlowLogCollectorMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("slow-log collector", args, REQUIRED, OPTIONAL, NUMERIC);
        Duration poll = Duration.ofMillis(config.number("poll.interval.ms", 1000));
        Duration quiet = Duration.ofMillis(config.number("quiet.period.ms", 2000));
        Duration refresh = Duration.ofMillis(config.number("inventory.refresh.ms", 30000));
        Path health = config.healthFile();
        try (MetadataDb db = config.metadataOrExit();
             KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(config.get("kafka.bootstrap"));
             SlowLogCollector collector = new SlowLogCollector(producer, new InventoryTargets(db, refresh, Clock.systemUTC()),
                     Path.of(config.get("state.dir")), Fingerprinter.pt(), quiet, Clock.systemUTC())) {
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
}
