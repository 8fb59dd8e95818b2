package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.DeadLetter;
import io.dbops.events.EventCodec;
import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.awaitility.Awaitility;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The job with Kafka in and out on the real broker: exactly-once digests and alarms, and dead letters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowSqlJobIT {
    private LocalStack stack;

    @BeforeAll
    void up() throws Exception {
        Path work = Files.createTempDirectory("dbops-flink-it-");
        stack = new LocalStack(new StackConfig(work, 4000), new PrintStream(new ByteArrayOutputStream()), false);
        stack.up();
    }

    @AfterAll
    void down() throws Exception {
        if (stack != null) {
            stack.discard();
        }
    }

    @Test
    void slowQueriesBecomeCommittedDigestsAndBadRecordsDeadLetters() throws Exception {
        long t0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3000; i++) {
                SlowQuery q = SlowSqlDigestJobTest.withQueryId(SlowSqlAccumulatorTest.query(0.01 * (i % 50), t0 + i * 60L, "SELECT " + i),
                        "Q" + (i % 3));
                producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)));
            }
            producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), "db-1", "not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), "db-1", "{\"schema\":1}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        SlowSqlJobMain.build(env, stack.kafkaBootstrap(), new SlowSqlDigestJob.Settings(Duration.ofMinutes(1), Duration.ZERO,
                Duration.ofSeconds(5)), SlowSqlThresholds.Config.of(SlowSqlThresholds.defaults()), stack.victoriaMetricsUrl(), true);
        env.execute("slow-sql it");

        List<SlowSqlDigest> digests = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        List<Alarm> alarms = new ArrayList<>();
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.SLOWSQL_STATS.topicName(), Topic.DEADLETTER.topicName(), Topic.ALARMS.topicName()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && (digests.stream().mapToLong(SlowSqlDigest::calls).sum() < 3000 || dead.size() < 2 || alarms.isEmpty())) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(Topic.SLOWSQL_STATS.topicName())) {
                        digests.add(EventCodec.fromBytes(r.value(), SlowSqlDigest.class));
                    } else if (r.topic().equals(Topic.ALARMS.topicName())) {
                        alarms.add(EventCodec.fromBytes(r.value(), Alarm.class));
                    } else {
                        dead.add(EventCodec.fromBytes(r.value(), DeadLetter.class));
                    }
                }
            }
        }
        // 3000 queries, 60 ms apart = 3 minutes: 3 windows x 3 query ids, each counted once
        assertThat(digests).hasSize(9);
        assertThat(digests.stream().mapToLong(SlowSqlDigest::calls).sum()).isEqualTo(3000);
        assertThat(digests).allSatisfy(d -> assertThat(d.calls()).isBetween(333L, 334L));
        // every window holds about 245 s of slow queries on db-1, over the 60 s burst threshold: one alarm, still firing
        assertThat(alarms).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo("slow_query_burst");
            assertThat(a.status()).isEqualTo(AlarmStatus.FIRING);
            assertThat(a.instance().id()).isEqualTo("db-1");
        });
        assertThat(dead).hasSize(2);
        // and each digest is a slowsql series point in VictoriaMetrics: 3000 calls in all
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            http.send(HttpRequest.newBuilder(URI.create(stack.victoriaMetricsUrl() + "/internal/force_flush")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = http.send(HttpRequest.newBuilder(URI.create(stack.victoriaMetricsUrl() + "/api/v1/export?match[]="
                    + URLEncoder.encode("slowsql_calls{instance=\"db-1\"}", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long calls = 0;
            for (String line : body.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                for (var v : new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("values")) {
                    calls += v.asLong();
                }
            }
            assertThat(calls).isEqualTo(3000);
        });
        assertThat(dead).anySatisfy(d -> assertThat(d.reason()).contains("not JSON"));
        assertThat(dead).anySatisfy(d -> assertThat(d.reason()).contains("field 'time'"));
        assertThat(dead).allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo(Topic.SLOWLOG.topicName()));
    }
}
