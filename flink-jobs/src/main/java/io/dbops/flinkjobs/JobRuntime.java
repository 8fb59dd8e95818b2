package io.dbops.flinkjobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What every job's {@code main} shares: its config file read with every problem listed at once,
 * file-system checkpoints retained on stop and resumed on start, and a health file rewritten while
 * the job runs (the stack's liveness check).
 */
public final class JobRuntime {
    private JobRuntime() {
    }

    /**
     * Checkpoint interval of every job that writes {@code dbops.alarms}. Each writes it in Kafka transactions committed at its
     * checkpoints, and a {@code read_committed} reader cannot read past a transaction still open on a partition: one job
     * checkpointing every 10 s would hold back every other job's alarms on the partitions it wrote to for up to 10 s.
     */
    public static final long ALARM_CHECKPOINT_MS = 1000;

    /** Optional key of every job: the REST address of a Flink session cluster to run on instead of a local MiniCluster. */
    public static final String FLINK_REST = "flink.rest";

    /**
     * Where the job runs: a local MiniCluster (the default platform), or the session cluster at
     * {@value #FLINK_REST} (e.g. http://127.0.0.1:18081), to which the job's graph and the jar holding
     * {@code mainClass} are submitted. Either way the same graph, and this process reports the job's
     * health while it runs.
     */
    public static StreamExecutionEnvironment environment(Properties config, Configuration conf, Class<?> mainClass) {
        String rest = config.getProperty(FLINK_REST);
        if (rest == null || rest.isBlank()) {
            return StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        java.net.URI u = java.net.URI.create(rest.trim());
        String jar;
        try {
            jar = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot find the jar of " + mainClass.getName(), e);
        }
        if (!jar.endsWith(".jar")) {
            throw new IllegalStateException(FLINK_REST + " needs the job packaged as a jar (mvn package); " + mainClass.getName() + " comes from " + jar);
        }
        return StreamExecutionEnvironment.createRemoteEnvironment(u.getHost(), u.getPort(), conf, jar);
    }

    /** Reads {@code args[0]}; exits 2 with a usage line or with every problem {@code check} finds. */
    public static Properties loadOrExit(String job, String[] args, java.util.function.Function<Properties, List<String>> check)
            throws IOException {
        if (args.length != 1) {
            System.err.println("usage: " + job + " CONFIG_FILE");
            System.exit(2);
        }
        Properties config = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            config.load(r);
        }
        List<String> problems = check.apply(config);
        if (!problems.isEmpty()) {
            System.err.println(job + ": bad config " + args[0] + ":\n  " + String.join("\n  ", problems));
            System.exit(2);
        }
        return config;
    }

    /** Missing required keys, unknown keys (unless under an allowed prefix), and non-whole numbers, all of them. */
    public static List<String> problems(Properties config, List<String> required, List<String> optional, List<String> wholeNumbers,
                                        List<String> prefixes) {
        List<String> problems = new java.util.ArrayList<>();
        for (String key : required) {
            if (config.getProperty(key) == null || config.getProperty(key).isBlank()) {
                problems.add("missing required key " + key);
            }
        }
        for (String key : config.stringPropertyNames()) {
            if (!required.contains(key) && !optional.contains(key) && prefixes.stream().noneMatch(key::startsWith)) {
                problems.add("unknown key " + key + " (known: " + String.join(", ", required) + ", " + String.join(", ", optional) + ")");
            }
        }
        for (String key : wholeNumbers) {
            String v = config.getProperty(key);
            if (v != null && !v.trim().matches("\\d+")) {
                problems.add(key + " must be a whole number, got '" + v + "'");
            }
        }
        return problems;
    }

    /**
     * Checkpoints on the file system: state outgrows the JobManager's 5 MB memory storage with a
     * real fleet (the checkpoint then fails, and with it the job).
     *
     * <p>Snapshots are compressed (Snappy), and not for the disk space: the heap state backend restores
     * an uncompressed snapshot through an unbuffered file stream, one system call per byte or number
     * read, so the metrics job's 10 MB of rule state for 1,000 instances took 40-60 s to restore on a
     * loaded 2-core machine, and its alarms waited that long after every restart. The decompressing
     * stream reads in blocks. Checkpoints written without compression are still restored (the flag is
     * part of each snapshot).
     */
    public static Configuration checkpointStorage(Path dir) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toAbsolutePath().toUri().toString());
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, true);
        // kept when the process stops, so the next start resumes its state instead of losing it
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return conf;
    }

    /** {@link #checkpointStorage} plus a resume from the newest complete checkpoint, if there is one. */
    public static Configuration resumable(String job, Path dir) throws IOException {
        Configuration conf = checkpointStorage(dir);
        Optional<Path> resume = latestCheckpoint(dir);
        if (resume.isPresent()) {
            // state of operators that no longer exist (after an upgrade) is dropped, not fatal
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resume.get().toUri().toString());
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
            System.err.println(job + ": resuming from " + resume.get());
            forgetOlderRuns(dir, resume.get().getParent());
        }
        return conf;
    }

    /** Earlier runs' retained checkpoints: the one resumed from is newer, the rest are of no use. */
    public static void forgetOlderRuns(Path dir, Path keep) throws IOException {
        try (var runs = Files.list(dir)) {
            for (Path run : runs.filter(p -> Files.isDirectory(p) && !p.equals(keep)).toList()) {
                try (var files = Files.walk(run)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    /** The newest complete checkpoint under {@code dir} (a {@code chk-N} folder with its metadata), if any. */
    public static Optional<Path> latestCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var paths = Files.walk(dir, 3)) {
            return paths.filter(p -> p.getFileName().toString().equals("_metadata") && p.getParent().getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .map(Path::getParent);
        }
    }

    /** How long the job's status may stay unknown (the JobManager gone) before this process gives up and exits. */
    static final java.time.Duration LOST_JOBMANAGER = java.time.Duration.ofSeconds(15);

    /**
     * Starts the job and rewrites {@code healthFile} every 2 s until it ends; then exits 1. When the status cannot be had for
     * {@link #LOST_JOBMANAGER} (the session cluster's JobManager died: without HA its jobs are gone with it), it exits 1 as
     * well, at once rather than after the REST client's minute of retries: started again, the job resumes from its newest
     * retained checkpoint.
     */
    public static void runReportingHealth(StreamExecutionEnvironment env, String job, String healthFile) throws Exception {
        JobClient client = env.executeAsync(job);
        // a MiniCluster lives in this process: its status is only slow when the machine is, never gone
        boolean remote = env instanceof org.apache.flink.streaming.api.environment.RemoteStreamEnvironment;
        long unknownSince = 0;
        while (true) {
            org.apache.flink.api.common.JobStatus status;
            try {
                status = client.getJobStatus().get(5, java.util.concurrent.TimeUnit.SECONDS);
                unknownSince = 0;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                long now = System.currentTimeMillis();
                unknownSince = unknownSince == 0 ? now : unknownSince;
                if (remote && now - unknownSince >= LOST_JOBMANAGER.toMillis()) {
                    System.err.println(job + ": no status from the JobManager for " + LOST_JOBMANAGER.toSeconds() + " s (" + e + "); exiting");
                    System.exit(1);
                }
                Thread.sleep(1000);
                continue;
            }
            if (healthFile != null) {
                Files.writeString(Path.of(healthFile), Instant.now() + " job " + client.getJobID() + " " + status + "\n");
            }
            if (status.isGloballyTerminalState()) {
                System.err.println(job + " ended: " + status);
                System.exit(1);
            }
            Thread.sleep(2000);
        }
    }
}
