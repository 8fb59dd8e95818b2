package io.dbops.dashboard;

import io.dbops.actions.run.RunStore;
import io.dbops.collectors.KafkaProducers;
import io.dbops.collectors.ServiceConfig;
import io.dbops.dashboard.live.LiveHub;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import io.dbops.metadata.MetadataDb;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dashboard: {@code java io.dbops.dashboard.DashboardMain dashboard.properties}. Keys:
 * kafka.bootstrap, metadata.url, metadata.user, metadata.password.secret, secrets.file,
 * http.port; optional http.host (default 127.0.0.1), victoria.url, db.pool (default 16),
 * health.file. A bad config lists every problem and exits 2.
 */
public final class DashboardMain {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardMain.class);
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "metadata.url", "metadata.user", "metadata.password.secret",
            "secrets.file", "http.port");
    static final List<String> OPTIONAL = List.of("http.host", "victoria.url", "db.pool", "health.file");

    private DashboardMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("dashboard", args, REQUIRED, OPTIONAL, List.of("http.port", "db.pool"));
        String bootstrap = config.get("kafka.bootstrap");
        Path health = config.healthFile();
        try (MetadataDb db = config.metadataOrExit((int) config.number("db.pool", 16));
             KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(bootstrap)) {
            db.migrate();
            LiveHub live = new LiveHub(bootstrap, new RunStore(db.dataSource()), new SlowSqlStore(db.dataSource()));
            live.start();
            DashboardApp.Publisher sink = (topic, key, event) -> publish(producer, topic, key, event);
            String vm = config.get("victoria.url") == null ? "http://127.0.0.1:8428" : config.get("victoria.url");
            DashboardApp dashboard = new DashboardApp(new DashboardApp.Services(db.dataSource(), live, new History(vm), sink));
            dashboard.followUps().start(2000);
            Javalin app = dashboard.create();
            String host = config.get("http.host") == null ? "127.0.0.1" : config.get("http.host");
            app.start(host, (int) config.number("http.port", 8080));
            LOG.info("dashboard listening on http://{}:{}", host, app.port());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                live.close();
                app.stop();
            }, "dashboard-stop"));
            while (true) {
                Thread.sleep(1000);
                if (health != null) {
                    Files.writeString(health, Instant.now() + " http://" + host + ":" + app.port() + " live=" + (live.caughtUp() ? "ok" : "catching up")
                            + " clients=" + live.subscriberCount() + "\n");
                }
            }
        }
    }

    /** Publishes an event and waits for the broker's acknowledgement (a filed request is durable). */
    static void publish(KafkaProducer<String, byte[]> producer, Topic topic, String key, io.dbops.events.Event e) throws Exception {
        producer.send(new ProducerRecord<>(topic.topicName(), key, EventCodec.toBytes(e))).get(10, TimeUnit.SECONDS);
    }
}
