package io.dbops.cli;

import io.dbops.stack.LocalStack;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", description = "Stop exactly what up started (by PID file), nothing else.")
final class DownCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() throws Exception {
        LocalStack stack = options.stack();
        List<String> stopped = stack.down();
        System.out.println(stopped.isEmpty() ? "nothing was running" : "stopped: " + String.join(", ", stopped));
        return 0;
    }
}
