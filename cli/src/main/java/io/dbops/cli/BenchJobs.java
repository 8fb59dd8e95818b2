package io.dbops.cli;

import io.dbops.flinkjobs.JobRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the streaming benchmarks share: the MiniCluster they run a job on, their load producer, and stopping a live job. */
final class BenchJobs {
    private BenchJobs() {
    }

    /** A local MiniCluster, parallelism 2 (one per core here), no restarts: a failure must show. */
    static StreamExecutionEnvironment env(Path work) {
        Configuration conf = JobRuntime.checkpointStorage(work.resolve("checkpoints"));
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /** The load generator's producer: throughput first (acks=1, lz4, large batches). */
    static KafkaProducer<String, byte[]> producer(String bootstrap, int lingerMs) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, 262144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer of what is committed to {@code topic} from now on (transactional outputs are read only once committed). */
    static org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> committedFromNow(String bootstrap, String topic) {
        var consumer = committedReader(bootstrap, topic, "latest");
        consumer.poll(java.time.Duration.ofMillis(500));
        return consumer;
    }

    /** A consumer of what is committed to {@code topic}, in a group of its own, from {@code reset} ("earliest" or "latest"). */
    static org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> committedReader(String bootstrap, String topic, String reset) {
        var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "bench-" + java.util.UUID.randomUUID(),
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
                org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        consumer.subscribe(java.util.List.of(topic));
        return consumer;
    }

    /**
     * A job's sustained rate from its progress over time (time ms -> events processed by then, as
     * observed; the running maximum counts): events per second between the first moments 10% and 90%
     * of {@code total} were seen processed, so the job start and the tail are left out. NaN if the
     * progress never showed both.
     */
    static double sustainedRate(java.util.NavigableMap<Long, Long> progress, long total) {
        Span s = span(progress, total);
        return s == null ? Double.NaN : (s.done90() - s.done10()) / ((s.t90() - s.t10()) / 1000.0);
    }

    /** The first moments 10% and 90% of {@code total} were seen processed, and how much was then; null if not both. */
    static Span span(java.util.NavigableMap<Long, Long> progress, long total) {
        long t10 = -1;
        long t90 = -1;
        long at10 = 0;
        long at90 = 0;
        long done = 0;
        for (var e : progress.entrySet()) {
            done = Math.max(done, e.getValue());
            if (t10 < 0 && done >= total / 10) {
                t10 = e.getKey();
                at10 = done;
            }
            if (t90 < 0 && done >= total * 9 / 10) {
                t90 = e.getKey();
                at90 = done;
            }
        }
        return t10 < 0 || t90 <= t10 ? null : new Span(t10, at10, t90, at90);
    }

    /** The middle of a run: from {@code t10} (ms) with {@code done10} processed to {@code t90} with {@code done90}. */
    record Span(long t10, long done10, long t90, long done90) {
        /** Per second over this span of another counter observed over time (latest value at or before each end); NaN if unknown. */
        double rateOf(java.util.NavigableMap<Long, Long> counter) {
            var from = counter.floorEntry(t10);
            var to = counter.floorEntry(t90);
            return from == null || to == null || to.getKey() <= from.getKey() ? Double.NaN
                    : (to.getValue() - from.getValue()) / ((to.getKey() - from.getKey()) / 1000.0);
        }
    }

    /**
     * Starts a daemon thread recording (time ms, events read) into {@code progress} from the offsets {@code group} has
     * committed on {@code topic} (a job commits them on each checkpoint), every 200 ms until interrupted. Read it
     * synchronized on {@code progress}.
     */
    static Thread pollCommitted(String bootstrap, String group, String topic, java.util.TreeMap<Long, Long> progress) {
        var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
        return poll("bench-progress", progress, admin, () -> {
            long read = 0;
            for (var e : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                    read += e.getValue().offset();
                }
            }
            return read;
        });
    }

    /**
     * Starts a daemon thread recording (time ms, {@code read}'s value) into {@code series} every 200 ms until interrupted
     * (or {@code read} fails: the rate is then unknown, not wrong), then closes {@code resource}. Read the series
     * synchronized on it.
     */
    static Thread poll(String name, java.util.TreeMap<Long, Long> series, AutoCloseable resource, java.util.concurrent.Callable<Long> read) {
        Thread t = new Thread(() -> {
            try (resource) {
                while (!Thread.currentThread().isInterrupted()) {
                    long value = read.call();
                    synchronized (series) {
                        series.put(System.currentTimeMillis(), value);
                    }
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // stops recording
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Cancels a live job, or says why it is no longer running (a benchmark must not hide a failed job). */
    static void stop(JobClient job, CompletableFuture<JobExecutionResult> result) throws Exception {
        if (!result.isDone()) {
            job.cancel().get();
            return;
        }
        try {
            result.get();
            System.err.println("the live job ended by itself");
        } catch (Exception ended) {
            for (Throwable cause = ended; cause != null; cause = cause.getCause()) {
                System.err.println("  live job failed: " + cause);
            }
        }
    }
}
