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
    static final List<String> OPTIONAL = List.of("http.host", "victoria.url", "db.pool", "health.file", "mariadb.monitor.user",
            "mariadb.monitor.password.secret", "placement.model", "placement.memory.reserve.gb", "placement.disk.reserve.gb",
            "placement.rack.spread.hard");

    private DashboardMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.loadOrExit("dashboard", args, REQUIRED, OPTIONAL, List.of("http.port", "db.pool", "placement.memory.reserve.gb", "placement.disk.reserve.gb"));
        String bootstrap = config.get("kafka.bootstrap");
        Path health = config.healthFile();
        try (MetadataDb db = config.metadataOrExit((int) config.number("db.pool", 16));
             KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(bootstrap)) {
            db.migrate();
            LiveHub live = new LiveHub(bootstrap, new RunStore(db.dataSource()), new SlowSqlStore(db.dataSource()));
            live.start();
            DashboardApp.Publisher sink = (topic, key, event) -> publish(producer, topic, key, event);
            String vm = config.get("victoria.url") == null ? "http://127.0.0.1:8428" : config.get("victoria.url");
            java.util.Properties secrets = config.secrets();
            String monitorUser = config.get("mariadb.monitor.user") == null ? "dbops_monitor" : config.get("mariadb.monitor.user");
            String monitorPassword = secrets.getProperty(config.get("mariadb.monitor.password.secret") == null ? "fleet.mariadb.monitor.password"
                    : config.get("mariadb.monitor.password.secret"));
            DashboardApp.Flashbacks flashbacks = flashbacks(bootstrap, db.inventory(), monitorUser, monitorPassword);
            DashboardApp dashboard = new DashboardApp(new DashboardApp.Services(db.dataSource(), live, new History(vm), sink, flashbacks));
            dashboard.selfService().usePlacement(io.dbops.actions.playbooks.LivePlacement.fromConfig(config, db.dataSource()));
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

    /** Flashback from dbops.binlog, with the table's columns read from the instance with a read-only account. */
    public static DashboardApp.Flashbacks flashbacks(String bootstrap, io.dbops.metadata.Inventory inventory, String user, String password) {
        return (instance, table, from, to, force) -> {
            String address = inventory.serverAddresses().getOrDefault(instance.server(), instance.server());
            java.util.List<io.dbops.cdc.Flashback.Column> columns;
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mariadb://" + address + ":" + instance.port() + "/", user,
                    password)) {
                columns = io.dbops.cdc.BinlogReader.columns(c, table);
            }
            io.dbops.cdc.BinlogReader.Slice slice = io.dbops.cdc.BinlogReader.read(bootstrap, io.dbops.events.BinlogChange.stream(instance.ref()), table, from, to);
            return io.dbops.cdc.Flashback.generate(instance.id(), table, from, to, slice.inRange(), slice.later(), columns, force);
        };
    }

    /** Publishes an event and waits for the broker's acknowledgement (a filed request is durable). */
    static void publish(KafkaProducer<String, byte[]> producer, Topic topic, String key, io.dbops.events.Event e) throws Exception {
        producer.send(new ProducerRecord<>(topic.topicName(), key, EventCodec.toBytes(e))).get(10, TimeUnit.SECONDS);
    }
}
