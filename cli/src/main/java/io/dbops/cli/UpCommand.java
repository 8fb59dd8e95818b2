package io.dbops.cli;

import io.dbops.stack.LocalStack;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "up", description = "Start the local platform (Kafka, metadata DB, demo MariaDB and Redis fleet, "
        + "VictoriaMetrics); only what is down is started. Installs missing Debian packages when run as root.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @picocli.CommandLine.Option(names = "--kafka-brokers", paramLabel = "N", description = "Kafka nodes: 1, or 3 for a KRaft cluster "
            + "(replication 3, min.insync.replicas 2); chosen at the first up of a work folder (default: as before, else 1).")
    Integer kafkaBrokers;

    @picocli.CommandLine.Option(names = "--flink-cluster", negatable = true, description = "Run the Flink jobs on a session cluster (a "
            + "JobManager and two TaskManagers, separate JVMs) instead of a MiniCluster each; kept for later ups (--no-flink-cluster undoes it).")
    Boolean flinkCluster;

    @Override
    public Integer call() throws Exception {
        if (kafkaBrokers != null) {
            LocalStack.useKafkaBrokers(options.config(), kafkaBrokers);
        }
        if (flinkCluster != null) {
            LocalStack.useFlinkCluster(options.config(), flinkCluster);
        }
        LocalStack stack = options.stack();
        long t0 = System.nanoTime();
        List<LocalStack.ComponentStatus> statuses = stack.up();
        boolean healthy = true;
        for (LocalStack.ComponentStatus s : statuses) {
            System.out.println(s.line());
            healthy &= s.health().ok();
        }
        if (healthy && statuses.stream().anyMatch(s -> s.name().equals("dashboard"))) {
            seedDashboardUsers(stack);
        }
        System.out.printf("%s in %.1f s; state in %s%n", healthy ? "platform up" : "platform up with UNHEALTHY components",
                (System.nanoTime() - t0) / 1e9, stack.config().workDir());
        return healthy ? 0 : 1;
    }

    /** First up: creates admin, dba and dev (business line demo) with random passwords and prints them once. */
    static void seedDashboardUsers(LocalStack stack) throws Exception {
        var conn = stack.metadataConnection();
        try (var db = io.dbops.metadata.MetadataDb.connect(conn.get("url"), conn.get("user"), conn.get("password"))) {
            var created = new io.dbops.dashboard.auth.Accounts(db.dataSource()).seedIfEmpty(LocalStack.BUSINESS_LINE);
            System.out.println("dashboard: " + stack.dashboardUrl());
            if (!created.isEmpty()) {
                System.out.println("  dashboard users created; the passwords are shown only now (an admin changes them under Users):");
                created.forEach((user, password) -> System.out.println("    " + user + " / " + password));
            }
        }
    }
}
