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

    @Override
    public Integer call() throws Exception {
        LocalStack stack = options.stack();
        long t0 = System.nanoTime();
        List<LocalStack.ComponentStatus> statuses = stack.up();
        boolean healthy = true;
        for (LocalStack.ComponentStatus s : statuses) {
            System.out.println(s.line());
            healthy &= s.health().ok();
        }
        System.out.printf("%s in %.1f s; state in %s%n", healthy ? "platform up" : "platform up with UNHEALTHY components",
                (System.nanoTime() - t0) / 1e9, stack.config().workDir());
        return healthy ? 0 : 1;
    }
}
