package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.EventCodec;
import io.dbops.events.MetricSample;
import io.dbops.events.SlowQuery;
import io.dbops.events.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The platform command as users run it, with every service this build has: {@code up} (servers,
 * the slow-log collector, the slow-SQL Flink job), a slow query flowing from MariaDB's slow log to
 * Kafka, {@code status}, a second {@code up} that starts nothing, and {@code down}.
 */
class PlatformIT {
    private static final int OFFSET = 6000;

    @Test
    void upRunsEveryServiceASlowQueryFlowsAndDownStopsEverything() throws Exception {
        Path work = Files.createTempDirectory("dbops-platform-it-");
        String[] where = {"--workdir", work.toString(), "--port-offset", Integer.toString(OFFSET)};
        try {
            Run up = run("up", where);
            assertThat(up.code).as(up.out).isZero();
            assertThat(up.out).contains("slowlog-collector", "slowsql-job", "explain-capture", "metrics-collector", "metrics-job", "merge-job", "binlog-job", "action-service", "platform up").doesNotContain("UNHEALTHY");

            Properties secrets = new Properties();
            try (var r = Files.newBufferedReader(work.resolve("secrets.properties"))) {
                secrets.load(r);
            }
            Properties p = new Properties();
            p.setProperty("user", "dbops_admin");
            p.setProperty("password", secrets.getProperty("fleet.mariadb.admin.password"));
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + (13307 + OFFSET) + "/", p);
                 Statement st = c.createStatement()) {
                st.execute("SELECT SLEEP(0.3) AS platform_it_probe");
            }
            Map<String, Object> cc = new HashMap<>();
            cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + (19092 + OFFSET));
            cc.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<SlowQuery> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(cc, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topic.SLOWLOG.topicName()));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(EventCodec.fromBytes(r.value(), SlowQuery.class)));
                    return seen.stream().anyMatch(q -> q.query().contains("platform_it_probe"));
                });
            }
            SlowQuery probe = seen.stream().filter(q -> q.query().contains("platform_it_probe")).findFirst().orElseThrow();
            assertThat(probe.instance().id()).isEqualTo("demo-mariadb-1");
            assertThat(probe.queryTimeSec()).isGreaterThanOrEqualTo(0.3);

            // the metrics collector polls every instance of the inventory: Sentinels included
            cc.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            java.util.Set<String> answering = new java.util.HashSet<>();
            try (var consumer = new KafkaConsumer<>(cc, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topic.METRICS.topicName()));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                        MetricSample s = EventCodec.fromBytes(r.value(), MetricSample.class);
                        if (s.measurement().equals("up") && Double.valueOf(1).equals(s.fields().get("up"))) {
                            answering.add(s.instance().id());
                        }
                    });
                    return answering.containsAll(List.of("demo-mariadb-1", "demo-mariadb-3", "demo-redis-2", "demo-sentinel-3"));
                });
            }

            // placement history: imported into the metadata DB, exported back, and the platform's model retrained from it
            Path history = work.resolve("history.jsonl");
            io.dbops.mlmodels.placement.HistoryCodec.write(history, io.dbops.mlmodels.placement.PlacementGenerator.generate(5, 300));
            Run imported = run("placement", with(where, "import", "--history", history.toString()));
            assertThat(imported.code).as(imported.out).isZero();
            Path exported = work.resolve("exported.jsonl");
            Run export = run("placement", with(where, "export", "--out", exported.toString()));
            assertThat(export.code).as(export.out).isZero();
            assertThat(Files.readAllLines(exported)).hasSize(300).allSatisfy(l -> assertThat(l).contains("\"chosen_by\":\"dba\""));
            Run retrain = run("placement", with(where, "retrain", "--rounds", "30"));
            assertThat(retrain.code).as(retrain.out).isZero();
            assertThat(retrain.out).contains("300 decisions in the metadata DB").contains("trained on 300 decisions");
            assertThat(io.dbops.mlmodels.placement.PlacementModel.load(work.resolve("placement").resolve("model.json")).info().path("decisions").asInt())
                    .isEqualTo(300);

            Run status = run("status", where);
            assertThat(status.code).as(status.out).isZero();
            Run again = run("up", where);
            assertThat(again.code).as(again.out).isZero();
            assertThat(again.out).doesNotContain("starting ").contains("running");
        } finally {
            Run down = run("down", where);
            assertThat(down.code).isZero();
            assertThat(down.out).contains("slowlog-collector", "slowsql-job", "kafka");
            Run after = run("status", where);
            assertThat(after.code).isEqualTo(3);
            assertThat(after.out).doesNotContain("healthy ");
            io.dbops.stack.LocalStack.deleteRecursively(work);
        }
    }

    private static String[] with(String[] where, String... first) {
        String[] out = java.util.Arrays.copyOf(first, first.length + where.length);
        System.arraycopy(where, 0, out, first.length, where.length);
        return out;
    }

    private record Run(int code, String out) {
    }

    private static Run run(String command, String... options) {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[options.length + 1];
            args[0] = command;
            System.arraycopy(options, 0, args, 1, options.length);
            int code = Main.run(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
