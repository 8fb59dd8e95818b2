package io.dbops.flinkjobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.EventCodec;
import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.slowsql.SlowSqlJobMain;
import io.dbops.stack.FlinkSessionCluster;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
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
import org.junit.jupiter.api.Test;

/**
 * The slow-SQL job on a multi-process Flink session cluster (a JobManager and two TaskManagers,
 * separate JVMs), submitted over REST with the same jar and main as the MiniCluster platform; a
 * TaskManager is killed with kill -9 while the job runs: it restores from its checkpoint on the
 * remaining one, and every slow query is counted exactly once in the committed digests.
 */
class FlinkClusterIT {
    private static final int OFFSET = 4000;

    static SlowQuery query(int i, long t0) {
        return io.dbops.flinkjobs.slowsql.SlowSqlDigestJobTestAccess.query(0.01 * (i % 50), t0 + i * 60L, "SELECT " + i, "Q" + (i % 3));
    }

    @Test
    void theSlowSqlJobRunsOnTheClusterAndSurvivesATaskManagerKill() throws Exception {
        Path work = Files.createTempDirectory("dbops-flink-cluster-it-");
        StackConfig config = new StackConfig(work, OFFSET);
        LocalStack stack = new LocalStack(config, new PrintStream(new ByteArrayOutputStream()), false);
        FlinkSessionCluster cluster = null;
        JobID job = null;
        try {
            stack.up();
            cluster = FlinkSessionCluster.start(config);
            assertThat(cluster.registeredTaskManagers()).isEqualTo(2);
            Path conf = work.resolve("slowsql-job.properties");
            Files.writeString(conf, "kafka.bootstrap=" + stack.kafkaBootstrap() + "\n"
                    + "checkpoint.dir=" + work.resolve("flink-checkpoints") + "\n"
                    + "allowed.lateness.seconds=0\ncheckpoint.interval.ms=1000\n");
            File jar;
            try (var jars = Files.list(Path.of("target"))) {
                jar = jars.filter(p -> p.getFileName().toString().matches("dbops-flink-jobs-.*\\.jar") && !p.toString().contains("tests"))
                        .findFirst().orElseThrow().toFile();
            }
            job = ClusterSubmit.submit(cluster.restUrl(), jar, SlowSqlJobMain.class.getName(), 2, conf.toString());
            long t0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            long killedAt;
            int killed;
            long runningAgainAt = 0;
            try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 3000; i++) {
                    SlowQuery q = query(i, t0);
                    producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)));
                }
                producer.flush();
                Thread.sleep(4000); // at least one checkpoint with the first half in it
                killed = cluster.busiestTaskManager();
                killedAt = System.currentTimeMillis();
                cluster.killTaskManager(killed);
                for (int i = 3000; i < 6000; i++) {
                    SlowQuery q = query(i, t0);
                    producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)));
                }
                // one query far later moves event time past the last window
                SlowQuery late = query(0, t0 + 3_600_000);
                producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), late.instance().id(), EventCodec.toBytes(late)));
                producer.flush();
            }
            // the JobManager notices the lost TaskManager (the job leaves RUNNING), then restores the job on the other one
            long until = System.currentTimeMillis() + 90_000;
            long failedAt = 0;
            while (System.currentTimeMillis() < until) {
                JobStatus s = ClusterSubmit.status(cluster.restUrl(), job);
                if (failedAt == 0 && s != JobStatus.RUNNING) {
                    failedAt = System.currentTimeMillis();
                } else if (failedAt > 0 && s == JobStatus.RUNNING) {
                    runningAgainAt = System.currentTimeMillis();
                    break;
                }
                Thread.sleep(100);
            }
            System.out.println("FlinkClusterIT: failure noticed " + (failedAt - killedAt) + " ms after the kill");
            cluster.restartTaskManager(killed);

            List<SlowSqlDigest> digests = new ArrayList<>();
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topic.SLOWSQL_STATS.topicName()));
                long deadline = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < deadline && digests.stream().mapToLong(SlowSqlDigest::calls).sum() < 6000) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        digests.add(EventCodec.fromBytes(r.value(), SlowSqlDigest.class));
                    }
                }
                consumer.poll(Duration.ofSeconds(3)).forEach(r -> digests.add(EventCodec.fromBytes(r.value(), SlowSqlDigest.class)));
            }
            System.out.println("FlinkClusterIT: job running again " + (runningAgainAt - killedAt) + " ms after the TaskManager's kill -9; "
                    + digests.size() + " digests");
            assertThat(runningAgainAt).as("the job recovered on the remaining TaskManager").isPositive();
            // 6,000 queries 60 ms apart = 6 one-minute windows x 3 query ids, each counted once
            Set<String> windows = new HashSet<>();
            digests.forEach(d -> windows.add(d.queryId() + "@" + d.windowStart()));
            assertThat(windows).as("no window published twice").hasSize(digests.size());
            assertThat(digests).hasSize(18);
            assertThat(digests.stream().mapToLong(SlowSqlDigest::calls).sum()).isEqualTo(6000);
        } finally {
            if (job != null && cluster != null) {
                try {
                    ClusterSubmit.cancel(cluster.restUrl(), job);
                } catch (Exception ignored) {
                    // the cluster goes anyway
                }
            }
            if (cluster != null) {
                cluster.close();
            }
            stack.discard();
        }
    }
}
