package io.dbops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dbops} command line; {@code ./dbops} at the repository root builds and runs it. */
@Command(name = "dbops", mixinStandardHelpOptions = true, version = "dbops 0.1.0",
        description = "Operations platform for MySQL/MariaDB, Redis and MongoDB fleets.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, LogsCommand.class, TestCommand.class, BinlogCommand.class,
                SlowlogCommand.class, BenchCommand.class, RulesCommand.class, AlarmsCommand.class, RunsCommand.class,
                ActionsCommand.class, BackupsCommand.class, PlacementCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code, for tests that drive the CLI in-process. */
    public static int run(String... args) {
        if (args.length > 1 && args[0].equals("slowlog") && args[1].equals("digest")) {
            SlowlogCommand.DigestCommand quick = SlowlogCommand.DigestCommand.quick(java.util.Arrays.copyOfRange(args, 2, args.length));
            if (quick != null) {
                try {
                    return quick.call();
                } catch (RuntimeException e) {
                    System.err.println("dbops slowlog failed: " + e);
                    e.printStackTrace();
                    return 1;
                }
            }
        }
        if (args.length > 0 && args[0].equals("slowlog")) {
            // a digest is timed end to end against pt-query-digest: build only its part of the command line (picocli
            // otherwise inspects every command's classes first, a fifth of a short digest's run)
            // (the launcher also runs it with only the jars it needs: nothing here may touch another module's classes)
            return new CommandLine(new SlowlogCommand()).setCommandName("dbops slowlog")
                    .setExecutionExceptionHandler((e, cmd, parsed) -> {
                        cmd.getErr().println("dbops slowlog failed: " + e);
                        e.printStackTrace(cmd.getErr());
                        return 1;
                    })
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::reportError)
                .execute(args);
    }

    private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof io.dbops.stack.StackException) {
            cmd.getErr().println("dbops " + cmd.getCommandName() + ": " + e.getMessage().replace("\n", "\n  "));
            return 2;
        }
        cmd.getErr().println("dbops " + cmd.getCommandName() + " failed: " + e);
        e.printStackTrace(cmd.getErr());
        return 1;
    }
}
