package io.dbops.cli;

import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that work on the local stack. */
final class StackOptions {
    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Work folder for all state, logs and PID files (default: .dbops in the repository).")
    Path workDir;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0",
            description = "Added to every default port, to run a second stack beside the first (default: ${DEFAULT-VALUE}).")
    int portOffset;

    static Path home() {
        return Path.of(System.getProperty("dbops.home", ".")).toAbsolutePath().normalize();
    }

    StackConfig config() {
        return new StackConfig(workDir != null ? workDir : home().resolve(".dbops"), portOffset);
    }

    LocalStack stack() {
        return new LocalStack(config(), System.out);
    }
}
