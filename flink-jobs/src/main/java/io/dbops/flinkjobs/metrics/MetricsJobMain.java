package io.dbops.flinkjobs.metrics;

import io.dbops.flinkjobs.JobRuntime;
import io.dbops.flinkjobs.rules.RulePack;
import io.dbops.flinkjobs.timeseries.BufferedTimeSeriesWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The metrics job on a local MiniCluster: {@code MetricsJobMain CONFIG_FILE}. Rule files are
 * validated at start-up together with the config, every problem listed; later versions of a pack
 * arrive on {@code dbops.rules} ({@code ./dbops rules publish FILE}).
 *
 * <pre>
 * kafka.bootstrap=127.0.0.1:19092     # required
 * checkpoint.dir=/path/checkpoints    # required: rule state, file system
 * rules.files=/path/a.yaml,/path/b.yaml   # optional: the starting packs (default: the bundled default pack)
 * victoria.url=http://127.0.0.1:18428 # optional: samples and rates go to the time-series store
 * tsdb.buffer.lines=200000            # optional: lines held while the store is down, then the oldest drop
 * checkpoint.interval.ms=1000         # optional: alarms are committed at each checkpoint
 * parallelism=2                       # optional
 * health.file=/path/health            # optional
 * </pre>
 */
public final class MetricsJobMain {
    static final List<String> REQUIRED = List.of("kafka.bootstrap", "checkpoint.dir");
    static final List<String> OPTIONAL = List.of("rules.files", "victoria.url", "tsdb.buffer.lines", "checkpoint.interval.ms",
            "parallelism", "health.file", JobRuntime.FLINK_REST);
    /** Alarms become readable at each checkpoint: this bounds alarm latency. */
    public static final String DEFAULT_CHECKPOINT_MS = String.valueOf(JobRuntime.ALARM_CHECKPOINT_MS);
    static final List<String> NUMBERS = List.of("tsdb.buffer.lines", "checkpoint.interval.ms", "parallelism");

    private MetricsJobMain() {
    }

    /** The bundled default rule pack's YAML. */
    public static String defaultPack() {
        try (InputStream in = MetricsJobMain.class.getResourceAsStream("/rules/default.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the default rule pack is missing from the classpath", e);
        }
    }

    /** Config problems and every rule file's problems, together. */
    static List<String> problems(Properties config, Map<String, String> packs) {
        List<String> problems = new ArrayList<>(JobRuntime.problems(config, REQUIRED, OPTIONAL, NUMBERS, List.of()));
        String files = config.getProperty("rules.files");
        if (files == null || files.isBlank()) {
            packs.put("default", defaultPack());
            return problems;
        }
        for (String f : files.split(",")) {
            Path file = Path.of(f.trim());
            try {
                String yaml = Files.readString(file);
                RulePack p = RulePack.parse(file.toString(), yaml);
                if (packs.put(p.name(), yaml) != null) {
                    problems.add("rules.files: two files define pack '" + p.name() + "'");
                }
            } catch (RulePack.InvalidRulePackException e) {
                problems.add(e.getMessage());
            } catch (IOException e) {
                problems.add("rules.files: cannot read " + file + ": " + e);
            }
        }
        return problems;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> packs = new LinkedHashMap<>();
        Properties config = JobRuntime.loadOrExit("metrics job", args, c -> problems(c, packs));
        StreamExecutionEnvironment env = JobRuntime.environment(config,
                JobRuntime.resumable("metrics job", Path.of(config.getProperty("checkpoint.dir"))), MetricsJobMain.class);
        env.enableCheckpointing(Long.parseLong(config.getProperty("checkpoint.interval.ms", DEFAULT_CHECKPOINT_MS)));
        if (config.getProperty("parallelism") != null) {
            env.setParallelism(Integer.parseInt(config.getProperty("parallelism").trim()));
        }
        String url = config.getProperty("victoria.url");
        BufferedTimeSeriesWriter.Settings series = url == null ? null
                : BufferedTimeSeriesWriter.Settings.of(url).withBuffer(Integer.parseInt(config.getProperty("tsdb.buffer.lines", "200000").trim()));
        MetricsJob.build(env, config.getProperty("kafka.bootstrap"), new MetricsJob.Settings(packs, series, false));
        JobRuntime.runReportingHealth(env, "dbops metrics and alarm rules", config.getProperty("health.file"));
    }
}
