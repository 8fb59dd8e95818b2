package io.dbops.cli;

import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.slowsql.SlowSqlDigestJob;
import io.dbops.flinkjobs.slowsql.SlowSqlJobMain;
import io.dbops.flinkjobs.slowsql.SlowSqlThresholds;
import io.dbops.sql.Fingerprinter;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The streaming half of {@code ./dbops bench slowlog}: slow-query events through a real Kafka
 * broker and the slow-SQL Flink job on a local MiniCluster. Throughput is a replay of a backlog
 * (job start included); latency is a live run with event time = now, measured from a window's
 * first possible query (its start) to the moment its digest is readable committed.
 */
final class StreamBench {
    /**
     * Replay: events, seconds with the job start, that rate, and the sustained rate (from the job's
     * committed Kafka offsets, polled while it runs: events per second between 10% and 90% read).
     */
    record Result(long entries, double seconds, double entriesPerSecond, double sustainedPerSecond, double cpuMicrosPerEntry,
                  double p99LatencyMs, double windowMs, long digests) {
    }

    /** The goal rate of the issue, used to lay out event time in the replay. */
    static final int TARGET_RATE = 200_000;

    private StreamBench() {
    }

    static Result run(int entries, int liveSeconds, int liveRate) throws Exception {
        Path work = Files.createTempDirectory("dbops-bench-stream-");
        LocalStack stack = new LocalStack(new StackConfig(work, 5000), new PrintStream(new ByteArrayOutputStream()), false);
        try {
            stack.up();
            String bootstrap = stack.kafkaBootstrap();
            // generated as they are sent: a list of 2,000,000 encoded events (about 1 GB) would stay on the heap of this JVM,
            // which also runs the job's MiniCluster, and its garbage collections would be measured as the job's slowness
            try (KafkaProducer<String, byte[]> producer = BenchJobs.producer(bootstrap, 10)) {
                Random r = new Random(42);
                long t = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
                for (int i = 0; i < entries; i++) {
                    // keyed by instance like the collector: one instance's queries are in one partition
                    SlowQuery q = event(r, t, i);
                    producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)));
                }
                producer.flush();
            }
            long t0 = System.nanoTime();
            // this JVM's CPU while the job runs is the job's (the broker is a process of its own): a measure of its cost that a
            // machine whose speed drifts from one minute to the next shifts less than the rate
            long cpu0 = processCpuNanos();
            StreamExecutionEnvironment env = BenchJobs.env(work);
            // checkpoints as in production; each one commits the source's offsets, which show how far the job has read
            env.enableCheckpointing(1000);
            SlowSqlJobMain.build(env, bootstrap, new SlowSqlDigestJob.Settings(Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5)),
                    SlowSqlThresholds.Config.of(SlowSqlThresholds.defaults()), true);
            java.util.TreeMap<Long, Long> progress = new java.util.TreeMap<>();
            Thread poller = BenchJobs.pollCommitted(bootstrap, "dbops-slowsql", Topic.SLOWLOG.topicName(), progress);
            env.execute("bench replay");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMicrosPerEntry = (processCpuNanos() - cpu0) / 1e3 / entries;
            poller.interrupt();
            poller.join(5_000);
            double sustained;
            synchronized (progress) {
                sustained = BenchJobs.sustainedRate(progress, entries);
            }
            double[] live = liveSeconds > 0 ? live(work, bootstrap, liveSeconds, liveRate) : new double[] {Double.NaN, 0, 0};
            return new Result(entries, seconds, entries / seconds, sustained, cpuMicrosPerEntry, live[0], live[1], (long) live[2]);
        } finally {
            stack.discard();
        }
    }

    /** CPU time this process (the bench, its MiniCluster and its jobs: Kafka and the store run apart) has used, ns. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Live: a 10 s window, 1 s checkpoints; returns {p99 latency ms, window ms, digests seen}. */
    private static double[] live(Path work, String bootstrap, int seconds, int rate) throws Exception {
        long windowMs = 10_000;
        StreamExecutionEnvironment env = BenchJobs.env(work);
        env.enableCheckpointing(1000);
        SlowSqlJobMain.build(env, bootstrap, new SlowSqlDigestJob.Settings(Duration.ofMillis(windowMs), Duration.ZERO, Duration.ofSeconds(1)),
                SlowSqlThresholds.Config.of(SlowSqlThresholds.defaults()), false);
        JobClient job = env.executeAsync("bench live");
        var result = job.getJobExecutionResult();
        List<Long> latencies = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = BenchJobs.producer(bootstrap, 10);
             KafkaConsumer<String, byte[]> consumer = BenchJobs.committedFromNow(bootstrap, Topic.SLOWSQL_STATS.topicName())) {
            Thread.sleep(3000); // the job's source is up and reading
            long start = System.currentTimeMillis();
            long sent = 0;
            Random r = new Random(1);
            long liveFrom = start + windowMs; // windows before this one may have started before the producer did
            while (System.currentTimeMillis() - start < seconds * 1000L + 2 * windowMs) {
                long now = System.currentTimeMillis();
                if (now - start < seconds * 1000L) {
                    long due = (now - start) * rate / 1000;
                    for (; sent < due; sent++) {
                        SlowQuery q = query(r, now);
                        producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)));
                    }
                } else {
                    // keep event time moving on every partition so the last windows close, as a live fleet does
                    for (int k = 0; k < 12; k++) {
                        SlowQuery q = query(r, now);
                        producer.send(new ProducerRecord<>(Topic.SLOWLOG.topicName(), q.instance().id(), EventCodec.toBytes(q)));
                    }
                }
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(50))) {
                    SlowSqlDigest d = EventCodec.fromBytes(rec.value(), SlowSqlDigest.class);
                    if (d.windowStart().toEpochMilli() >= liveFrom && d.windowEnd().toEpochMilli() <= start + seconds * 1000L) {
                        latencies.add(System.currentTimeMillis() - d.windowStart().toEpochMilli());
                    }
                }
            }
        } finally {
            BenchJobs.stop(job, result);
        }
        latencies.sort(null);
        double p99 = latencies.isEmpty() ? Double.NaN : latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1));
        return new double[] {p99, windowMs, latencies.size()};
    }


    /** Event {@code i} of the replay: event time advances as a fleet producing 200k slow queries per second would advance it. */
    private static SlowQuery event(Random r, long t0, int i) {
        // (so a 1-minute window holds up to 12M queries, not one per digest), slightly out of order
        return query(r, t0 + (long) i * 1000 / TARGET_RATE + r.nextInt(2000));
    }

    private static final String[] SHAPES = {"SELECT * FROM orders WHERE id = ?", "UPDATE users SET state = ? WHERE id = ?",
        "SELECT count(*) FROM payments WHERE user_id = ?", "DELETE FROM sessions WHERE expires < ?",
        "INSERT INTO audit_log VALUES(?+)"};

    private static SlowQuery query(Random r, long time) {
        int instance = r.nextInt(1000);
        return query(r, time, new InstanceRef("db-" + instance, Engine.MYSQL, "c" + instance / 3, "h" + instance / 4, 3306, "bl" + instance % 7));
    }

    /** A slow query of one of a few shapes on {@code ref}, with log-normal query times. */
    static SlowQuery query(Random r, long time, InstanceRef ref) {
        String fp = SHAPES[r.nextInt(SHAPES.length)] + " /* " + r.nextInt(10) + " */";
        return new SlowQuery(SlowQuery.SCHEMA, Instant.ofEpochMilli(time), ref, fp.replace("?", Integer.toString(r.nextInt(1000))), fp,
                Fingerprinter.queryId(fp), "shop", "app", "10.0.0.1", 1L, Math.exp(r.nextGaussian() - 3), 0.0001, 1L, 100L, 0L, 10L,
                Map.of(), "bench");
    }

}
