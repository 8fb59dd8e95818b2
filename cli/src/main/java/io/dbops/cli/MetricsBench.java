package io.dbops.cli;

import io.dbops.events.Alarm;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.RuleUpdate;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.metrics.MetricsJob;
import io.dbops.flinkjobs.metrics.MetricsJobMain;
import io.dbops.flinkjobs.timeseries.BufferedTimeSeriesWriter;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./dbops bench metrics}: (1) a backlog of metric samples replayed through Kafka and the
 * metrics job (rules + rates + time-series writes) on a MiniCluster, job start included; (2) a live
 * run at a fixed rate, measuring each alarm from its sample's production to its commit on
 * {@code dbops.alarms}; (3) the real collector process polling simulated targets (inventory
 * entries pointing at the stack's real Redis and MariaDB servers) for its CPU use.
 */
final class MetricsBench {
    /**
     * {@code samplesPerSecond}: with the job start; {@code sustainedPerSecond}: samples read per second between the moments
     * the job's committed offsets showed 10% and 90% of them read; {@code storedValuesPerSecond}: values (one per field, as
     * VictoriaMetrics counts samples) the store took in per second over that same span.
     */
    record Result(long samples, double seconds, double samplesPerSecond, double coldSustainedPerSecond, double sustainedPerSecond,
                  double storedValuesPerSecond, double coldCpuMicrosPerSample, double cpuMicrosPerSample, double avgFields, long linesWritten, long linesDropped,
                  int liveRate, double latencyP50,
                  double latencyP99, double liveValuesPerSecond, double liveStoredPerSecond, long alarms, int collectorTargets, double collectorSeconds, double collectorCpuCores,
                  String collectorHealth) {
    }

    private static final int INSTANCES = 1000;
    private static final int FLIPPERS = 100;
    private static final String BENCH_PACK = """
            pack: bench
            rules:
              - id: bench_load_high
                value: bench.load
                op: ">"
                threshold: 50
            """;

    private MetricsBench() {
    }

    static Result run(int samples, int liveSeconds, int liveRate, int targets, int collectorSeconds, boolean noSeries, long checkpointMs)
            throws Exception {
        Path work = Files.createTempDirectory("dbops-bench-metrics-");
        LocalStack stack = new LocalStack(new StackConfig(work, 5000), new PrintStream(new ByteArrayOutputStream()), false);
        try {
            stack.up();
            String bootstrap = stack.kafkaBootstrap();
            Random r = new Random(7);
            long t0 = System.currentTimeMillis() - 3_600_000L;
            long fields = 0;
            try (KafkaProducer<String, byte[]> producer = BenchJobs.producer(bootstrap, 5)) {
                producer.send(new ProducerRecord<>(Topic.RULES.topicName(), "bench", EventCodec.toBytes(
                        new RuleUpdate(RuleUpdate.SCHEMA, Instant.now(), "bench", BENCH_PACK, "bench"))));
                for (int i = 0; i < samples; i++) {
                    MetricSample s = sample(r, i % INSTANCES, t0 + (i / INSTANCES) * 1000L, i / INSTANCES);
                    fields += s.fields().size();
                    producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), s.instance().id(), json(s)));
                }
                producer.flush();
            }
            // twice over the same backlog: the first pass is a cold JVM (the JIT compilers alone used about 20 s of CPU of the
            // two cores in it), the second what a job that has been running a while does, which is what "sustained" means
            Replay cold = replay(work.resolve("replay"), stack, samples, noSeries, checkpointMs);
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                admin.deleteConsumerGroups(List.of("dbops-metrics")).all().get(); // the second job reads from the start again
            }
            Replay warm = replay(work.resolve("replay-warm"), stack, samples, noSeries, checkpointMs);
            long[] written = noSeries ? new long[] {0, 0} : seriesCounts(stack.victoriaMetricsUrl());
            double[] live = liveSeconds > 0 ? live(work.resolve("live"), stack, liveSeconds, liveRate, noSeries, checkpointMs)
                    : new double[] {Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN};
            Collector collector = targets > 0 ? collector(work, stack, targets, collectorSeconds) : new Collector(0, Double.NaN, "");
            return new Result(samples, cold.seconds(), samples / cold.seconds(), cold.sustained(), warm.sustained(), warm.storedPerSecond(),
                    cold.cpuMicrosPerSample(), warm.cpuMicrosPerSample(), (double) fields / samples, written[0], written[1],
                    liveRate, live[0], live[1], live[3], live[4],
                    (long) live[2], targets, collector.seconds(), collector.cores(), collector.health());
        } finally {
            stack.discard();
        }
    }

    /**
     * One pass of the metrics job over the whole backlog: wall seconds with the job start, samples per second between 10% and
     * 90% read, the values the store took in per second meanwhile, and this process's CPU per sample.
     */
    private record Replay(double seconds, double sustained, double storedPerSecond, double cpuMicrosPerSample) {
    }

    private static Replay replay(Path dir, LocalStack stack, int samples, boolean noSeries, long checkpointMs) throws Exception {
        String bootstrap = stack.kafkaBootstrap();
        long start = System.nanoTime();
        long cpu0 = StreamBench.processCpuNanos();
        StreamExecutionEnvironment env = BenchJobs.env(dir);
        // checkpoints as in production (they commit the alarms and the source's offsets, which show how far the job has read)
        env.enableCheckpointing(checkpointMs);
        MetricsJob.build(env, bootstrap, new MetricsJob.Settings(Map.of("default", MetricsJobMain.defaultPack()),
                noSeries ? null : BufferedTimeSeriesWriter.Settings.of(stack.victoriaMetricsUrl()), true));
        java.util.TreeMap<Long, Long> progress = new java.util.TreeMap<>();
        java.util.TreeMap<Long, Long> stored = new java.util.TreeMap<>();
        Thread poller = BenchJobs.pollCommitted(bootstrap, "dbops-metrics", Topic.METRICS.topicName(), progress);
        Thread storePoller = pollStored(stack.victoriaMetricsUrl(), stored);
        env.execute("bench metrics replay");
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerSample = (StreamBench.processCpuNanos() - cpu0) / 1e3 / samples;
        Thread.sleep(1500); // the writers' last batches
        poller.interrupt();
        storePoller.interrupt();
        poller.join(5_000);
        storePoller.join(5_000);
        double sustained = Double.NaN;
        double storedPerSecond = Double.NaN;
        synchronized (progress) {
            BenchJobs.Span span = BenchJobs.span(progress, samples);
            if (span != null) {
                sustained = (span.done90() - span.done10()) / ((span.t90() - span.t10()) / 1000.0);
                synchronized (stored) {
                    storedPerSecond = span.rateOf(stored);
                }
            }
        }
        return new Replay(seconds, sustained, storedPerSecond, cpuMicrosPerSample);
    }

    /** The collector's measured run: wall seconds, CPU cores used, its last health line. */
    private record Collector(double seconds, double cores, String health) {
    }

    /** Starts a daemon thread recording (time ms, values VictoriaMetrics has taken in over line protocol) every 200 ms until interrupted. */
    private static Thread pollStored(String victoria, java.util.TreeMap<Long, Long> stored) {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(victoria + "/metrics")).build();
        return BenchJobs.poll("bench-store-progress", stored, () -> { }, () -> {
            for (String line : http.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines()).body().toList()) {
                if (line.startsWith("vm_rows_inserted_total{type=\"influx\"} ")) {
                    return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim());
                }
            }
            throw new IllegalStateException("no vm_rows_inserted_total");
        });
    }

    /** Lines the replay's time-series writers wrote and dropped, from their own dbops_tsdb_writer series. */
    private static long[] seriesCounts(String victoria) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(victoria + "/internal/force_flush")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        long[] out = new long[2];
        String[] names = {"dbops_tsdb_writer_written", "dbops_tsdb_writer_dropped"};
        for (int k = 0; k < 2; k++) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(victoria + "/api/v1/export?match[]="
                    + java.net.URLEncoder.encode(names[k], java.nio.charset.StandardCharsets.UTF_8))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    long max = 0;
                    for (var v : new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("values")) {
                        max = Math.max(max, v.asLong());
                    }
                    out[k] += max;
                }
            }
        }
        return out;
    }

    /** A mix like the collectors': liveness, replication, Redis INFO and MySQL status samples. */
    static MetricSample sample(Random r, int instance, long time, long round) {
        boolean redis = instance % 4 == 3;
        InstanceRef ref = new InstanceRef("db-" + instance, redis ? Engine.REDIS : Engine.MARIADB, "c" + instance / 3, "h" + instance / 4,
                redis ? 6379 : 3306, "bl" + instance % 7);
        Map<String, Double> f = new LinkedHashMap<>();
        String measurement;
        int kind = (int) (round % 4);
        if (instance < FLIPPERS && kind == 0) {
            measurement = "bench";
            f.put("load", (round / 4) % 2 == 0 ? 80.0 : 10.0);
        } else if (kind == 0) {
            measurement = "up";
            f.put("up", 1.0);
            f.put("ping_ms", 0.3 + r.nextDouble());
        } else if (redis) {
            measurement = "redis_info";
            for (String k : List.of("used_memory", "maxmemory", "connected_clients", "blocked_clients", "evicted_keys", "expired_keys",
                    "keyspace_hits", "keyspace_misses", "total_commands_processed", "total_connections_received", "rejected_connections",
                    "instantaneous_ops_per_sec", "role_master", "master_link_up", "mem_fragmentation_ratio", "uptime_in_seconds",
                    "total_net_input_bytes", "total_net_output_bytes", "rdb_changes_since_last_save", "connected_slaves")) {
                f.put(k, (double) (round * 100 + r.nextInt(100)));
            }
            f.put("maxmemory", 1e12);
        } else if (kind == 1) {
            measurement = "mysql_replication";
            f.put("io_running", 1.0);
            f.put("sql_running", 1.0);
            f.put("io_connecting", 0.0);
            f.put("seconds_behind_master", (double) r.nextInt(3));
            f.put("last_io_errno", 0.0);
            f.put("last_sql_errno", 0.0);
            f.put("relay_log_space", 1e6);
            f.put("gtid_io_seq", (double) round * 1000);
        } else {
            measurement = "mysql_status";
            for (String k : List.of("questions", "queries", "com_select", "com_insert", "com_update", "com_delete", "com_commit",
                    "bytes_received", "bytes_sent", "connections", "aborted_clients", "aborted_connects", "slow_queries",
                    "innodb_rows_read", "innodb_rows_inserted", "innodb_rows_updated", "innodb_rows_deleted",
                    "innodb_buffer_pool_read_requests", "innodb_buffer_pool_reads", "innodb_data_reads", "innodb_data_writes",
                    "innodb_row_lock_waits", "created_tmp_disk_tables", "created_tmp_tables", "select_full_join", "select_scan",
                    "sort_rows", "handler_read_rnd_next", "table_locks_waited", "threads_connected", "threads_running",
                    "threads_created", "open_tables", "opened_tables", "uptime")) {
                f.put(k, (double) (round * 1000 + r.nextInt(1000)));
            }
            f.put("threads_running", (double) r.nextInt(10));
        }
        return new MetricSample(MetricSample.SCHEMA, Instant.ofEpochMilli(time), ref, measurement, null, f, null);
    }

    /**
     * Live run; returns {p50 ms, p99 ms, alarms measured, field values the samples carried per second, values
     * VictoriaMetrics took in per second (samples and rates)}, the last two over the measured part of the run.
     */
    private static double[] live(Path work, LocalStack stack, int seconds, int rate, boolean noSeries, long checkpointMs) throws Exception {
        String bootstrap = stack.kafkaBootstrap();
        StreamExecutionEnvironment env = BenchJobs.env(work);
        env.enableCheckpointing(checkpointMs);
        MetricsJob.build(env, bootstrap, new MetricsJob.Settings(Map.of("default", MetricsJobMain.defaultPack()),
                noSeries ? null : BufferedTimeSeriesWriter.Settings.of(stack.victoriaMetricsUrl()), false));
        JobClient job = env.executeAsync("bench metrics live");
        var result = job.getJobExecutionResult();
        List<Long> latencies = new ArrayList<>();
        java.util.TreeMap<Long, Long> stored = new java.util.TreeMap<>();
        Thread storePoller = noSeries ? null : pollStored(stack.victoriaMetricsUrl(), stored);
        long values = 0;
        long measureFrom;
        long producedUntil;
        try (KafkaProducer<String, byte[]> producer = BenchJobs.producer(bootstrap, 5);
             KafkaConsumer<String, byte[]> consumer = BenchJobs.committedFromNow(bootstrap, Topic.ALARMS.topicName())) {
            Thread.sleep(5000); // the job is up and has read the backlog's end
            Random r = new Random(3);
            long start = System.currentTimeMillis();
            long sent = 0;
            measureFrom = start + 3000;
            producedUntil = start + seconds * 1000L;
            long lastAlarm = System.currentTimeMillis();
            // after the last sample, wait for the job to catch up: a slow job shows as latency, not as missing alarms
            while (true) {
                long now = System.currentTimeMillis();
                if (now < producedUntil) {
                    long due = (now - start) * rate / 1000;
                    for (; sent < due; sent++) {
                        // every instance samples once per round; a round takes INSTANCES / rate seconds
                        MetricSample s = sample(r, (int) (sent % INSTANCES), now, 1_000_000 + sent / INSTANCES);
                        producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), s.instance().id(), json(s)));
                        values += now >= measureFrom ? s.fields().size() : 0;
                    }
                } else if (now - lastAlarm > 10_000 || now - producedUntil > 120_000) {
                    break;
                }
                for (var rec : consumer.poll(java.time.Duration.ofMillis(20))) {
                    Alarm a = EventCodec.fromBytes(rec.value(), Alarm.class);
                    long at = System.currentTimeMillis();
                    if (a.type().equals("bench_load_high")) {
                        lastAlarm = at;
                        if (a.time().toEpochMilli() >= measureFrom && a.time().toEpochMilli() < producedUntil) {
                            latencies.add(at - a.time().toEpochMilli());
                        }
                    }
                }
            }
        } finally {
            BenchJobs.stop(job, result);
            if (storePoller != null) {
                storePoller.interrupt();
                storePoller.join(5_000);
            }
        }
        latencies.sort(null);
        double storedPerSecond;
        synchronized (stored) {
            storedPerSecond = new BenchJobs.Span(measureFrom, 0, producedUntil, 0).rateOf(stored);
        }
        return new double[] {pct(latencies, 0.50), pct(latencies, 0.99), latencies.size(), values / ((producedUntil - measureFrom) / 1000.0),
            storedPerSecond};
    }

    /**
     * A sample as the event codec writes it (the same document, read back equal: {@code MetricsBenchTest}), written directly:
     * the load generator runs on the same two cores as what it measures, and binding each of 50,000 samples a second through
     * the codec took about half a core from them. Anything with a character to escape goes through the codec.
     */
    static byte[] json(MetricSample s) {
        InstanceRef i = s.instance();
        if (s.tags() != null || s.error() != null || !plain(i.id()) || !plain(i.cluster()) || !plain(i.host()) || !plain(i.businessLine())
                || !plain(s.measurement())) {
            return EventCodec.toBytes(s);
        }
        StringBuilder b = new StringBuilder(64 + s.fields().size() * 32);
        b.append("{\"schema\":").append(s.schema()).append(",\"time\":\"").append(s.time()).append("\",\"instance\":{\"id\":\"")
                .append(i.id()).append("\",\"engine\":\"").append(i.engine().name().toLowerCase(java.util.Locale.ROOT)).append('"');
        if (i.cluster() != null) {
            b.append(",\"cluster\":\"").append(i.cluster()).append('"');
        }
        b.append(",\"host\":\"").append(i.host()).append('"');
        if (i.port() != null) {
            b.append(",\"port\":").append(i.port());
        }
        if (i.businessLine() != null) {
            b.append(",\"businessLine\":\"").append(i.businessLine()).append('"');
        }
        b.append("},\"measurement\":\"").append(s.measurement()).append("\",\"fields\":{");
        char sep = ' ';
        for (Map.Entry<String, Double> f : s.fields().entrySet()) {
            if (!plain(f.getKey())) {
                return EventCodec.toBytes(s);
            }
            if (sep != ' ') {
                b.append(sep);
            }
            sep = ',';
            b.append('"').append(f.getKey()).append("\":");
            Double v = f.getValue();
            if (v == null) {
                b.append("null");
            } else if (!Double.isFinite(v)) {
                return EventCodec.toBytes(s);
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                b.append((long) (double) v);
            } else {
                b.append(v.doubleValue());
            }
        }
        return b.append("}}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean plain(String text) {
        if (text == null) {
            return true;
        }
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p) - 1));
    }

    /** The collector as its own JVM over {@code targets} simulated targets. */
    private static Collector collector(Path work, LocalStack stack, int targets, int seconds) throws Exception {
        StringBuilder yaml = new StringBuilder("targets:\n");
        List<Integer> mariadb = stack.mariadbPorts();
        int redis1 = stack.redisPrimaryPort();
        int redis2 = stack.config().port("redis-2");
        int sqlTargets = Math.min(targets / 10, 200);
        for (int i = 0; i < targets; i++) {
            if (i < sqlTargets) {
                yaml.append(String.format("  - {id: sim-mariadb-%d, engine: mariadb, host: 127.0.0.1, port: %d, cluster: sim-%d, "
                        + "business_line: bench, credential: fleet.mariadb.monitor}%n", i, mariadb.get(i % 3), i / 3));
            } else {
                yaml.append(String.format("  - {id: sim-redis-%d, engine: redis, host: 127.0.0.1, port: %d, cluster: sim-%d, "
                        + "business_line: bench}%n", i, i % 2 == 0 ? redis1 : redis2, i / 2));
            }
        }
        Path targetsFile = work.resolve("targets.yaml");
        Files.writeString(targetsFile, yaml);
        Path health = work.resolve("collector.health");
        Path config = work.resolve("collector.properties");
        Files.writeString(config, "kafka.bootstrap=" + stack.kafkaBootstrap() + "\nsecrets.file=" + work.resolve("secrets.properties")
                + "\ntargets.file=" + targetsFile + "\nhealth.file=" + health + "\nconcurrency=32\n");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.dbops.collectors.metrics.MetricsCollectorMain", config.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("collector.log").toFile()).start();
        try {
            Thread.sleep(15_000); // connections opened, JIT warm
            long cpu0 = E2eBench.ticks(p.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = E2eBench.ticks(p.pid());
            double wall = (System.nanoTime() - t0) / 1e9;
            return new Collector(wall, (cpu1 - cpu0) / 100.0 / wall,
                    Files.exists(health) ? Files.readString(health).trim() : "no health report");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }


}
