package io.dbops.cli;

import io.dbops.actions.ActionService;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.actions.run.StepRecord;
import io.dbops.metadata.MetadataDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Playbook runs of the action service, from the metadata DB: list, show, tail, approve, reject. */
@Command(name = "runs", description = "Playbook runs (docs/actions.md): list, show, tail, approve, reject.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Tail.class, RunsCommand.Approve.class,
                RunsCommand.Reject.class})
final class RunsCommand {

    /** The local stack's metadata DB. */
    static MetadataDb metadata(StackOptions stack) {
        Map<String, String> m = stack.stack().metadataConnection();
        return MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"));
    }

    @Command(name = "list", description = "The most recent runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = metadata(stack)) {
                System.out.printf("%-18s %-20s %-18s %-22s %-24s %s%n", "RUN", "PLAYBOOK", "STATE", "TARGET", "CREATED", "BY");
                for (Run r : new RunStore(db.dataSource()).recent(limit)) {
                    System.out.printf("%-18s %-20s %-18s %-22s %-24s %s%n", r.id(), r.playbook(),
                            r.state().name().toLowerCase() + (r.dryRun() ? " (dry)" : ""), r.target() == null ? "-" : r.target(),
                            r.createdAt(), r.requestedBy());
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "A run: its request, state, facts and steps.")
    static final class Show implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "RUN")
        String runId;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = metadata(stack)) {
                RunStore store = new RunStore(db.dataSource());
                Optional<Run> run = store.run(runId);
                if (run.isEmpty()) {
                    System.err.println("no run " + runId);
                    return 2;
                }
                Run r = run.get();
                System.out.println(r.id() + "  " + r.playbook() + "  " + r.state().name().toLowerCase() + (r.dryRun() ? " (dry run)" : ""));
                System.out.println("  requested by " + r.requestedBy() + ", policy " + r.policy() + (r.incidentId() != null
                        ? ", incident " + r.incidentId() : "") + (r.approvedBy() != null ? ", approved by " + r.approvedBy() : ""));
                System.out.println("  target " + r.target() + ", cluster " + r.cluster() + ", params " + r.params());
                System.out.println("  facts " + r.facts());
                if (r.message() != null) {
                    System.out.println("  " + r.message());
                }
                for (StepRecord s : store.steps(runId)) {
                    System.out.printf("  %2d %-20s %-12s attempts %d%s%s%n", s.index(), s.name(), s.state().name().toLowerCase(), s.attempts(),
                            s.startedAt() != null && s.endedAt() != null ? ", " + Duration.between(s.startedAt(), s.endedAt()).toMillis() + " ms" : "",
                            s.error() != null ? ": " + s.error() : "");
                }
            }
            return 0;
        }
    }

    @Command(name = "tail", description = "Print a run's log and follow it until the run ends (like tail -f).")
    static final class Tail implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "RUN")
        String runId;

        @Option(names = "--no-follow", description = "Print what is there and stop.")
        boolean noFollow;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = metadata(stack)) {
                return tail(new RunStore(db.dataSource()), runId, !noFollow);
            }
        }
    }

    /** Prints a run's log from the start and, when following, until the run ends; exit 0 when it succeeded. */
    static int tail(RunStore store, String runId, boolean follow) throws Exception {
        long next = 0;
        while (true) {
            Optional<Run> run = store.run(runId);
            if (run.isEmpty()) {
                System.err.println("no run " + runId);
                return 2;
            }
            List<RunStore.LogRow> rows = store.log(runId, next);
            for (RunStore.LogRow l : rows) {
                System.out.println(line(l));
                next = l.seq() + 1;
            }
            if (RunStore.isTerminal(run.get().state()) || !follow || run.get().state() == io.dbops.events.RunState.AWAITING_APPROVAL) {
                if (rows.isEmpty() || !follow) {
                    return run.get().state() == io.dbops.events.RunState.SUCCEEDED ? 0 : 1;
                }
                continue; // print what arrived with the end, then stop
            }
            Thread.sleep(200);
        }
    }

    static String line(RunStore.LogRow l) {
        String time = l.time().toString().substring(11, 23);
        return switch (l.type()) {
            case RUN -> time + " run " + l.state().name().toLowerCase() + (l.message() == null ? "" : ": " + l.message());
            case STEP -> time + " [" + l.stepIndex() + " " + l.step() + "] " + l.state().name().toLowerCase()
                    + (l.message() == null ? "" : ": " + l.message());
            case LOG -> time + " [" + l.stepIndex() + " " + l.step() + "] " + (l.stream().equals("stderr") ? "! " : "  ") + l.message();
        };
    }

    @Command(name = "approve", description = "Approve a run waiting for approval (you must be a dba or an admin).")
    static final class Approve implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "RUN")
        String runId;

        @Option(names = "--as", required = true, description = "Your user name (its role is checked).")
        String user;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = metadata(stack)) {
                String refusal = ActionService.approve(new RunStore(db.dataSource()), runId, user);
                if (refusal != null) {
                    System.err.println(refusal);
                    return 2;
                }
                System.out.println(runId + " approved by " + user + "; a worker picks it up now");
                return 0;
            }
        }
    }

    @Command(name = "reject", description = "Reject a run waiting for approval (you must be a dba or an admin).")
    static final class Reject implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "RUN")
        String runId;

        @Option(names = "--as", required = true)
        String user;

        @Option(names = "--reason")
        String reason;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = metadata(stack)) {
                RunStore store = new RunStore(db.dataSource());
                Optional<String> role = store.role(user);
                if (role.isEmpty() || !(role.get().equals("dba") || role.get().equals("admin"))) {
                    System.err.println("rejection refused: " + user + " is not a dba or an admin");
                    return 2;
                }
                if (!store.reject(runId, user, reason)) {
                    System.err.println(runId + " is not waiting for approval");
                    return 2;
                }
                System.out.println(runId + " rejected");
                return 0;
            }
        }
    }
}
