package io.dbops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbops.sql.SlowLogGenerator;
import java.io.File;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Benchmarks against the reference tools, measured end to end in one run: a table, "
        + "then (with --json) one JSON line last.", subcommands = {BenchCommand.SlowlogBench.class, BenchCommand.MetricsBenchCommand.class, BenchCommand.MergeBench.class,
        BenchCommand.FailoverBenchCommand.class, BenchCommand.DashboardBenchCommand.class, BenchCommand.BinlogBenchCommand.class,
        PlacementBench.class, E2eBenchCommand.class})
final class BenchCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Command(name = "slowlog", description = "Offline digest of a generated slow log: ./dbops slowlog digest versus "
            + "pt-query-digest, both as whole commands (JVM start included), and whether their classes agree.")
    static final class SlowlogBench implements Callable<Integer> {

        @Option(names = "--entries", defaultValue = "100000", description = "Entries in the generated log (default: ${DEFAULT-VALUE}).")
        int entries;

        @Option(names = "--format", defaultValue = "MYSQL8", description = "MYSQL8 or MARIADB headers (default: ${DEFAULT-VALUE}).")
        SlowLogGenerator.Format format;

        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Option(names = "--stream-entries", defaultValue = "2000000", description = "Events replayed through Kafka and the Flink job (default: ${DEFAULT-VALUE}; 0 skips the streaming part).")
        int streamEntries;

        @Option(names = "--live-seconds", defaultValue = "40", description = "Length of the live latency run (default: ${DEFAULT-VALUE}).")
        int liveSeconds;

        @Option(names = "--live-rate", defaultValue = "20000", description = "Events per second in the live run (default: ${DEFAULT-VALUE}).")
        int liveRate;

        @Override
        public Integer call() throws Exception {
            io.dbops.stack.Packages.ensure(List.of("percona-toolkit"), System.out);
            Path dir = Files.createTempDirectory("dbops-bench-");
            try {
                Path log = dir.resolve("slow.log");
                try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                    new SlowLogGenerator(format, 20251125).write(w, entries);
                }
                Path oursOut = dir.resolve("ours.json");
                Path ptOut = dir.resolve("pt.json");
                String dbops = StackOptions.home().resolve("dbops").toString();
                List<String> oursCmd = List.of(dbops, "slowlog", "digest", "--output", "json", "--limit", "100%", log.toString());
                // one untimed run first (it makes the launcher's class-data archive after a build, and lets this JVM's own
                // compiler threads, busy from generating the log, finish), then the median of three
                time(oursCmd, oursOut);
                double[] runs = {time(oursCmd, oursOut), time(oursCmd, oursOut), time(oursCmd, oursOut)};
                java.util.Arrays.sort(runs);
                double oursSec = runs[1];
                double ptSec = time(List.of("pt-query-digest", "--type", "slowlog", "--output", "json", "--limit", "100%",
                        "--no-version-check", log.toString()), ptOut);
                Map<String, Long> ours = classes(JSON.readTree(oursOut.toFile()));
                Map<String, Long> pt = classes(JSON.readTree(ptOut.toFile()));
                boolean match = ours.equals(pt);
                double oursRate = entries / oursSec;
                double ptRate = entries / ptSec;
                System.out.printf(Locale.ROOT, "slow-log digest, %d generated %s entries (%.1f MB), %d cores%n", entries, format,
                        Files.size(log) / 1e6, Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "%-28s %10s %14s%n", "command", "seconds", "entries/s");
                System.out.printf(Locale.ROOT, "%-28s %10.2f %14.0f%n", "dbops slowlog digest", oursSec, oursRate);
                System.out.printf(Locale.ROOT, "%-28s %10.2f %14.0f%n", "pt-query-digest 3.2.1", ptSec, ptRate);
                System.out.printf(Locale.ROOT, "ratio %.1fx (goal 40x); classes %d vs %d, %s%n", oursRate / ptRate, ours.size(), pt.size(),
                        match ? "identical checksums and counts" : "DIFFERENT");
                StreamBench.Result stream = streamEntries > 0 ? StreamBench.run(streamEntries, liveSeconds, liveRate) : null;
                if (stream != null) {
                    System.out.printf(Locale.ROOT, "streaming, Kafka -> Flink MiniCluster (parallelism 2) -> committed digests:%n");
                    System.out.printf(Locale.ROOT, "  replay of %d events (1 s checkpoints): %.1f s, %.0f events/s job start included; "
                            + "sustained %.0f events/s from 10%% to 90%% read (committed offsets; goal 200000); the job's CPU %.1f us per event%n",
                            stream.entries(), stream.seconds(), stream.entriesPerSecond(), stream.sustainedPerSecond(), stream.cpuMicrosPerEntry());
                    System.out.printf(Locale.ROOT, "  live at %d events/s, %.0f s windows: p99 from window start to committed digest %.0f ms "
                            + "(goal: window + 5 s = %.0f ms), %d digests%n", liveRate, stream.windowMs() / 1000, stream.p99LatencyMs(),
                            stream.windowMs() + 5000, stream.digests());
                }
                if (json) {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("bench", "slowlog");
                    o.put("entries", entries);
                    o.put("format", format.name());
                    o.put("cores", Runtime.getRuntime().availableProcessors());
                    o.put("ours_seconds", round(oursSec));
                    o.put("pt_seconds", round(ptSec));
                    o.put("ours_entries_per_s", Math.round(oursRate));
                    o.put("pt_entries_per_s", Math.round(ptRate));
                    o.put("ratio", round(oursRate / ptRate));
                    o.put("classes", ours.size());
                    o.put("classes_match", match);
                    if (stream != null) {
                        o.put("stream_entries", stream.entries());
                        o.put("stream_entries_per_s", Double.isNaN(stream.sustainedPerSecond()) ? null : Math.round(stream.sustainedPerSecond()));
                        o.put("stream_entries_per_s_with_start", Math.round(stream.entriesPerSecond()));
                        o.put("stream_cpu_us_per_entry", round(stream.cpuMicrosPerEntry()));
                        o.put("stream_p99_ms", Math.round(stream.p99LatencyMs()));
                        o.put("stream_window_ms", Math.round(stream.windowMs()));
                    } else {
                        o.putNull("stream_entries_per_s");
                        o.putNull("stream_p99_ms");
                    }
                    System.out.println(o);
                }
                return match ? 0 : 1;
            } finally {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }

        private static double time(List<String> command, Path output) throws Exception {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int code = p.waitFor();
            double sec = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + code);
            }
            return sec;
        }

        private static Map<String, Long> classes(JsonNode doc) {
            Map<String, Long> m = new HashMap<>();
            doc.get("classes").forEach(c -> m.put(c.get("checksum").asText(), c.get("query_count").asLong()));
            return m;
        }
    }

    @Command(name = "metrics", description = "Metric samples through Kafka, the rule engine and the time-series writer on a Flink "
            + "MiniCluster (replay throughput), alarm latency from sample to committed alarm at a live rate, and the collector's CPU "
            + "polling simulated targets.")
    static final class MetricsBenchCommand implements Callable<Integer> {
        @Option(names = "--samples", defaultValue = "1000000", description = "Samples replayed (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--live-seconds", defaultValue = "30", description = "Length of the live latency run (default: ${DEFAULT-VALUE}).")
        int liveSeconds;

        @Option(names = "--live-rate", defaultValue = "50000", description = "Samples per second in the live run (default: ${DEFAULT-VALUE}).")
        int liveRate;

        @Option(names = "--targets", defaultValue = "1000", description = "Simulated collector targets (default: ${DEFAULT-VALUE}; 0 skips).")
        int targets;

        @Option(names = "--collector-seconds", defaultValue = "60", description = "How long the collector's CPU is measured (default: ${DEFAULT-VALUE}).")
        int collectorSeconds;

        @Option(names = "--no-series", description = "Leave the time-series writes out (what the rule path alone sustains).")
        boolean noSeries;

        @Option(names = "--checkpoint-ms", description = "The job's checkpoint interval, which bounds alarm latency (default: the job's own).")
        Long checkpointMs;

        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            long interval = checkpointMs != null ? checkpointMs : Long.parseLong(io.dbops.flinkjobs.metrics.MetricsJobMain.DEFAULT_CHECKPOINT_MS);
            if (interval < 10) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--checkpoint-ms: at least 10, got " + interval);
            }
            MetricsBench.Result r = MetricsBench.run(samples, liveSeconds, liveRate, targets, collectorSeconds, noSeries, interval);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "metrics bench on %d cores (Kafka, Flink MiniCluster parallelism 2, VictoriaMetrics on this machine)%n", cores);
            System.out.printf(Locale.ROOT, "  replay: %d samples (%.1f fields on average) through rules, rates%s, checkpoints every %d ms%n",
                    r.samples(), r.avgFields(), noSeries ? "" : " and time-series writes", interval);
            System.out.printf(Locale.ROOT, "    sustained %.0f samples/s (goal 300000; 10%%-90%% of the committed offsets, a second pass: the JVM warm), %.1f us of CPU per sample in the job's process%n",
                    r.sustainedPerSecond(), r.cpuMicrosPerSample());
            System.out.printf(Locale.ROOT, "    first pass (the JVM cold): sustained %.0f samples/s, %.0f with the job start (%.1f s), %.1f us of CPU per sample%n",
                    r.coldSustainedPerSecond(), r.samplesPerSecond(), r.seconds(), r.coldCpuMicrosPerSample());
            if (!noSeries) {
                System.out.printf(Locale.ROOT, "    values taken in by VictoriaMetrics meanwhile: %.0f/s; time-series lines written %d, dropped by the bounded buffer %d (both passes)%n",
                        r.storedValuesPerSecond(), r.linesWritten(), r.linesDropped());
            }
            System.out.printf(Locale.ROOT, "  live at %d samples/s: alarm latency sample -> committed alarm p50 %.0f ms, p99 %.0f ms (goal p99 <= 2000), %d alarms%n",
                    r.liveRate(), r.latencyP50(), r.latencyP99(), r.alarms());
            if (!noSeries) {
                System.out.printf(Locale.ROOT, "    the samples carried %.0f values/s; VictoriaMetrics took in %.0f values/s (samples and rates; the rest dropped by the writers' bounded buffers)%n",
                        r.liveValuesPerSecond(), r.liveStoredPerSecond());
            }
            System.out.printf(Locale.ROOT, "  collector: %d simulated targets (10 s polls, 1 s liveness) for %.0f s: %.2f CPU cores (goal < 1)%n",
                    r.collectorTargets(), r.collectorSeconds(), r.collectorCpuCores());
            System.out.printf(Locale.ROOT, "    its last health report: %s%n", r.collectorHealth());
            if (json) {
                ObjectNode o = JSON.createObjectNode();
                o.put("bench", "metrics");
                o.put("cores", cores);
                o.put("samples", r.samples());
                o.put("avg_fields", round(r.avgFields()));
                o.put("samples_per_s", Double.isNaN(r.sustainedPerSecond()) ? null : Math.round(r.sustainedPerSecond()));
                o.put("samples_per_s_with_start", Math.round(r.samplesPerSecond()));
                o.put("stored_values_per_s", Double.isNaN(r.storedValuesPerSecond()) ? null : Math.round(r.storedValuesPerSecond()));
                o.put("cpu_us_per_sample", round(r.cpuMicrosPerSample()));
                o.put("cold_samples_per_s", Double.isNaN(r.coldSustainedPerSecond()) ? null : Math.round(r.coldSustainedPerSecond()));
                o.put("cold_cpu_us_per_sample", round(r.coldCpuMicrosPerSample()));
                o.put("time_series", !noSeries);
                o.put("checkpoint_ms", interval);
                o.put("series_lines_written", r.linesWritten());
                o.put("series_lines_dropped", r.linesDropped());
                o.put("live_rate", r.liveRate());
                o.put("alarm_latency_p50_ms", Double.isNaN(r.latencyP50()) ? null : Math.round(r.latencyP50()));
                o.put("alarm_latency_p99_ms", Double.isNaN(r.latencyP99()) ? null : Math.round(r.latencyP99()));
                o.put("alarms_measured", r.alarms());
                o.put("live_values_per_s", Double.isNaN(r.liveValuesPerSecond()) ? null : Math.round(r.liveValuesPerSecond()));
                o.put("live_stored_values_per_s", Double.isNaN(r.liveStoredPerSecond()) ? null : Math.round(r.liveStoredPerSecond()));
                o.put("collector_targets", r.collectorTargets());
                o.put("collector_cpu_cores", Double.isNaN(r.collectorCpuCores()) ? null : round(r.collectorCpuCores()));
                System.out.println(o);
            }
            return 0;
        }
    }

    @Command(name = "failover", description = "Failover drills on the whole local platform under write load: planned "
            + "MariaDB switchover, kill -9 of the MariaDB primary, kill -9 of the Redis master (docs/actions.md).")
    static final class FailoverBenchCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            FailoverBench.Result r = FailoverBench.run(System.out);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "failover drills, %d cores (goal in brackets)%n", cores);
            System.out.printf(Locale.ROOT, "%-46s %8s%n", "measure", "value");
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "switchover: writes blocked, ms (<= 2000)", r.switchoverBlockMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "switchover: acknowledged writes lost (0)", r.switchoverLost());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "MariaDB kill -9: mysql_down committed, ms", r.detectionMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "MariaDB kill -9: incident committed, ms", r.incidentMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "MariaDB kill -9: run created, ms", r.decisionMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "MariaDB kill -9: promoted, ms", r.promotionMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "MariaDB kill -9: new primary accepts writes, ms (<= 5000)", r.mysqlRtoMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "MariaDB: acknowledged writes lost (0)", r.mysqlLost());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "Redis kill -9: writes accepted again, ms (<= 3000)", r.redisRtoMs());
            System.out.printf(Locale.ROOT, "%-46s %8d%n", "Redis: acknowledged writes lost (async)", r.redisLost());
            if (json) {
                var o = JSON.createObjectNode();
                o.put("bench", "failover");
                o.put("cores", cores);
                o.put("switchover_block_ms", r.switchoverBlockMs());
                o.put("switchover_lost_writes", r.switchoverLost());
                o.put("mysql_detection_ms", r.detectionMs());
                o.put("mysql_incident_ms", r.incidentMs());
                o.put("mysql_decision_ms", r.decisionMs());
                o.put("mysql_promotion_ms", r.promotionMs());
                o.put("mysql_rto_ms", r.mysqlRtoMs());
                o.put("mysql_lost_writes", r.mysqlLost());
                o.put("mysql_acked_writes", r.mysqlAcked());
                o.put("redis_rto_ms", r.redisRtoMs());
                o.put("redis_lost_writes", r.redisLost());
                o.put("redis_acked_writes", r.redisAcked());
                System.out.println(o);
            }
            return 0;
        }
    }

    @Command(name = "binlog", description = "Binlog capture from a cold start over a backlog of row events into Kafka, and flashback "
            + "SQL for a 100k-row mistake (docs/binlog.md).")
    static final class BinlogBenchCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Option(names = "--rows", defaultValue = "1000000", description = "Row events in the backlog (default: ${DEFAULT-VALUE}).")
        int rows;

        @Override
        public Integer call() throws Exception {
            BinlogBench.Result r = BinlogBench.run(System.out, rows);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "binlog capture, %d cores (goal in brackets)%n", cores);
            System.out.printf(Locale.ROOT, "%-52s %10s%n", "measure", "value");
            System.out.printf(Locale.ROOT, "%-52s %,10d%n", "backlog row events", r.rows());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "capture, engine start to last event acknowledged, s", r.captureSeconds());
            System.out.printf(Locale.ROOT, "%-52s %,10.0f%n", "capture row events/s (>= 20,000)", r.eventsPerSecond());
            System.out.printf(Locale.ROOT, "%-52s %,10d%n", "flashback: changes undone", r.flashbackChanges());
            System.out.printf(Locale.ROOT, "%-52s %10.2f%n", "flashback: read back and SQL generated, s (<= 5)", r.flashbackSeconds());
            if (json) {
                var o = JSON.createObjectNode();
                o.put("bench", "binlog");
                o.put("cores", cores);
                o.put("rows", r.rows());
                o.put("capture_s", Math.round(r.captureSeconds() * 10) / 10.0);
                o.put("capture_events_per_s", Math.round(r.eventsPerSecond()));
                o.put("flashback_changes", r.flashbackChanges());
                o.put("flashback_100k_s", Math.round(r.flashbackSeconds() * 100) / 100.0);
                System.out.println(o);
            }
            return 0;
        }
    }

    @Command(name = "dashboard", description = "The dashboard as its own process over 500 instances: JSON API latency at a "
            + "constant request rate, page renders, wrk's maximum on one call, and alarm delivery to 100 live clients (docs/dashboard.md).")
    static final class DashboardBenchCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Option(names = "--rate", defaultValue = "200", description = "API requests per second (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--seconds", defaultValue = "30", description = "Measured seconds per load phase (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Override
        public Integer call() throws Exception {
            DashboardBench.Result r = DashboardBench.run(System.out, rate, seconds);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "dashboard, %d instances, %d cores (goal in brackets)%n", r.instances(), cores);
            System.out.printf(Locale.ROOT, "%-52s %10s%n", "measure", "value");
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "API requests/s achieved (" + rate + ")", r.apiRate());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "API p50, ms", r.apiP50());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "API p99, ms (<= 50)", r.apiP99());
            System.out.printf(Locale.ROOT, "%-52s %10d%n", "API errors (0)", r.apiErrors());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "page render p50, ms", r.pageP50());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "page render p99, ms (<= 100)", r.pageP99());
            System.out.printf(Locale.ROOT, "%-52s %10d%n", "page errors (0)", r.pageErrors());
            System.out.printf(Locale.ROOT, "%-52s %10.0f  %s%n", "wrk max requests/s, one instance call (reference)", r.wrkRps(), r.wrkLatency());
            System.out.printf(Locale.ROOT, "%-52s %10d%n", "live clients", r.liveClients());
            System.out.printf(Locale.ROOT, "%-52s %10d%n", "live deliveries missing (0 of " + r.liveClients() * r.liveEvents() + ")", r.liveMissing());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "live: alarm to every client p50, ms", r.liveP50());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "live: alarm to every client p99, ms (<= 1000)", r.liveP99());
            System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "live: slowest delivery, ms", r.liveMax());
            if (json) {
                var o = JSON.createObjectNode();
                o.put("bench", "dashboard");
                o.put("cores", cores);
                o.put("instances", r.instances());
                o.put("api_rate", Math.round(r.apiRate() * 10) / 10.0);
                o.put("api_p50_ms", Math.round(r.apiP50() * 10) / 10.0);
                o.put("api_p99_ms", Math.round(r.apiP99() * 10) / 10.0);
                o.put("api_errors", r.apiErrors());
                o.put("page_p50_ms", Math.round(r.pageP50() * 10) / 10.0);
                o.put("page_p99_ms", Math.round(r.pageP99() * 10) / 10.0);
                o.put("page_errors", r.pageErrors());
                o.put("wrk_rps", Math.round(r.wrkRps()));
                o.put("live_clients", r.liveClients());
                o.put("live_missing", r.liveMissing());
                o.put("live_p50_ms", r.liveP50());
                o.put("live_p99_ms", r.liveP99());
                o.put("live_max_ms", r.liveMax());
                System.out.println(o);
            }
            return 0;
        }
    }

    @Command(name = "merge", description = "Alarm merging on generated storms it was not tuned on (new seeds, several densities of "
            + "faults and noise): pairwise F1, ARI and compression for the merger and, in the same run, an Alertmanager-style and a "
            + "per-instance baseline; replay speed on one thread.")
    static final class MergeBench implements Callable<Integer> {
        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Option(names = "--threshold", description = "Merge threshold to try (default: the merger's).")
        Double threshold;

        @Option(names = "--job-faults-per-hour", defaultValue = "150", description = "Faults per hour in the day of alarms replayed "
                + "through the Flink merge job, with ten times as many background alarms (default: ${DEFAULT-VALUE}; 0 skips the job part).")
        double jobFaults;

        @Option(names = "--job-days", defaultValue = "3", description = "Days of alarms replayed through the Flink merge job (default: "
                + "${DEFAULT-VALUE}); a longer replay shows the sustained rate with less of the job start and JIT warm-up in it.")
        int jobDays;

        @Override
        public Integer call() throws Exception {
            io.dbops.mlmodels.merge.TypeAffinity affinity = io.dbops.mlmodels.merge.TypeAffinity.withPrior();
            // history: the incidents of three earlier storms (seeds the evaluation never uses)
            for (long seed = 1; seed <= 3; seed++) {
                var o = io.dbops.mlmodels.merge.StormGenerator.generate(io.dbops.mlmodels.merge.StormGenerator.Settings.of(seed, 12, 90));
                affinity.learnAll(io.dbops.mlmodels.merge.AlarmFiles.incidents(o.alarms(), o.truth()));
            }
            double[][] densities = {{6, 60}, {12, 150}, {24, 60}, {24, 150}, {12, 90}, {6, 150}};
            double f1Min = 1;
            double ariMin = 1;
            double compressionMin = Double.MAX_VALUE;
            double compressionMax = 0;
            double amF1 = 0;
            double amAri = 0;
            double perInstanceF1 = 0;
            long alarms = 0;
            double seconds = 0;
            System.out.printf(Locale.ROOT, "%-6s %-10s %7s | %6s %6s %6s %6s %6s | %8s %8s | %8s%n", "seed", "faults/bg", "alarms", "F1", "P", "R",
                    "ARI", "comp%", "AM F1", "AM ARI", "inst F1");
            for (int k = 0; k < densities.length; k++) {
                long seed = 1001 + k;
                var o = io.dbops.mlmodels.merge.StormGenerator.generate(
                        io.dbops.mlmodels.merge.StormGenerator.Settings.of(seed, densities[k][0], densities[k][1]));
                var points = io.dbops.mlmodels.merge.AlarmFiles.points(o.topology(), o.alarms());
                var distance = new io.dbops.mlmodels.merge.AlarmDistance(o.topology(), affinity, io.dbops.mlmodels.merge.AlarmDistance.Scales.DEFAULT);
                // a warm-up pass, then the timed one
                var d = io.dbops.mlmodels.merge.IncrementalClusterer.Settings.DEFAULT;
                var settings = threshold == null ? d : new io.dbops.mlmodels.merge.IncrementalClusterer.Settings(threshold, d.mergeThreshold(), d.horizonMs(), d.sampleMembers());
                var warm = new io.dbops.mlmodels.merge.IncrementalClusterer(distance, settings);
                points.forEach(warm::add);
                var merger = new io.dbops.mlmodels.merge.IncrementalClusterer(distance, settings);
                long t0 = System.nanoTime();
                points.forEach(merger::add);
                seconds += (System.nanoTime() - t0) / 1e9;
                alarms += points.size();
                var ours = io.dbops.mlmodels.merge.PartitionScores.of(o.truth(), merger.assignments());
                var am = io.dbops.mlmodels.merge.PartitionScores.of(o.truth(), io.dbops.mlmodels.merge.Baselines.alertmanager(points, 300_000));
                var inst = io.dbops.mlmodels.merge.PartitionScores.of(o.truth(), io.dbops.mlmodels.merge.Baselines.perInstance(points, 300_000));
                double comp = ours.predictedCompression() / ours.trueCompression();
                System.out.printf(Locale.ROOT, "%-6d %-10s %7d | %6.3f %6.3f %6.3f %6.3f %6.0f | %8.3f %8.3f | %8.3f%n", seed,
                        (int) densities[k][0] + "/" + (int) densities[k][1], points.size(), ours.f1(), ours.precision(), ours.recall(), ours.ari(),
                        comp * 100, am.f1(), am.ari(), inst.f1());
                f1Min = Math.min(f1Min, ours.f1());
                ariMin = Math.min(ariMin, ours.ari());
                compressionMin = Math.min(compressionMin, comp);
                compressionMax = Math.max(compressionMax, comp);
                amF1 += am.f1() / densities.length;
                amAri += am.ari() / densities.length;
                perInstanceF1 += inst.f1() / densities.length;
            }
            double rate = alarms / seconds;
            System.out.printf(Locale.ROOT, "merger: F1 min %.3f, ARI min %.3f (goal 0.90 each); compression %.0f%%-%.0f%% of the truth's (goal within 10%%)%n",
                    f1Min, ariMin, compressionMin * 100, compressionMax * 100);
            System.out.printf(Locale.ROOT, "baselines (mean): Alertmanager-style F1 %.3f ARI %.3f; per instance F1 %.3f%n", amF1, amAri, perInstanceF1);
            System.out.printf(Locale.ROOT, "replay: %.0f alarms/s on one thread (goal 100000)%n", rate);
            MergeJobBench.Result job = jobFaults > 0 ? MergeJobBench.run(jobFaults, jobDays) : null;
            if (job != null) {
                System.out.printf(Locale.ROOT, "Flink merge job (MiniCluster, parallelism 2, Kafka in and out, exactly-once): %d alarms in %.1f s, "
                        + "%.0f alarms/s job start included; sustained %.0f alarms/s from 10%% to 90%% of the input (goal 50000)%n", job.alarms(),
                        job.seconds(), job.alarms() / job.seconds(), job.sustainedPerSecond());
            }
            if (json) {
                ObjectNode o = JSON.createObjectNode();
                o.put("bench", "merge");
                o.put("f1_min", round(f1Min));
                o.put("ari_min", round(ariMin));
                o.put("compression_min", round(compressionMin));
                o.put("compression_max", round(compressionMax));
                o.put("baseline_alertmanager_f1", round(amF1));
                o.put("baseline_alertmanager_ari", round(amAri));
                o.put("baseline_per_instance_f1", round(perInstanceF1));
                o.put("replay_alarms_per_s", Math.round(rate));
                if (job != null) {
                    o.put("job_alarms", job.alarms());
                    // the job's throughput is its sustained rate; the rate with the job start and JIT warm-up in it is given beside it
                    o.put("job_alarms_per_s", Double.isNaN(job.sustainedPerSecond()) ? null : Math.round(job.sustainedPerSecond()));
                    o.put("job_alarms_per_s_with_start", Math.round(job.alarms() / job.seconds()));
                } else {
                    o.putNull("job_alarms_per_s");
                }
                System.out.println(o);
            }
            return 0;
        }
    }
}
