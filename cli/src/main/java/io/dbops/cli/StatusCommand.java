package io.dbops.cli;

import io.dbops.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Show each component, its address and its health. Exit 0 when all are healthy, 3 otherwise.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        boolean healthy = true;
        for (LocalStack.ComponentStatus s : options.stack().status()) {
            System.out.println(s.line());
            healthy &= s.health().ok();
        }
        return healthy ? 0 : 3;
    }
}
