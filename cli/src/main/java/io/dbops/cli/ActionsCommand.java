package io.dbops.cli;

import io.dbops.actions.ActionService;
import io.dbops.actions.ActionServiceMain;
import io.dbops.actions.policy.RemediationRules;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.Playbook;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.collectors.KafkaProducers;
import io.dbops.events.ActionRequest;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import io.dbops.metadata.MetadataDb;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The action service from the command line: ask for a playbook, and the guards a DBA operates. */
@Command(name = "actions", description = "Playbooks and their guards (docs/actions.md).",
        subcommands = {ActionsCommand.Request.class, ActionsCommand.Playbooks.class, ActionsCommand.CheckRules.class,
                ActionsCommand.Unblock.class, ActionsCommand.KillSwitch.class, ActionsCommand.Maintenance.class, ActionsCommand.User.class})
final class ActionsCommand {

    @Command(name = "request", description = "Ask the action service for a playbook run (published on dbops.actions.requests), "
            + "then follow its log. A developer's request waits for a DBA's approval.")
    static final class Request implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "PLAYBOOK")
        String playbook;

        @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A playbook parameter; repeat for several.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--as", required = true, description = "Who asks (a user known to the platform).")
        String user;

        @Option(names = "--dry-run", description = "Only print the plan; touch nothing.")
        boolean dryRun;

        @Option(names = "--reason")
        String reason;

        @Option(names = "--no-follow", description = "Print the run id and return.")
        boolean noFollow;

        @Override
        public Integer call() throws Exception {
            var local = stack.stack();
            String id = "req-" + UUID.randomUUID();
            ActionRequest r = new ActionRequest(ActionRequest.SCHEMA, Instant.now(), id, playbook, user, null, null, null, null, playbook,
                    params, dryRun, reason);
            try (KafkaProducer<String, byte[]> p = KafkaProducers.reliable(local.kafkaBootstrap())) {
                p.send(new ProducerRecord<>(Topic.ACTION_REQUESTS.topicName(), id, EventCodec.toBytes(r))).get();
            }
            System.out.println("request " + id + " sent");
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                RunStore store = new RunStore(db.dataSource());
                long deadline = System.currentTimeMillis() + 30_000;
                Optional<Run> run = Optional.empty();
                while (run.isEmpty() && System.currentTimeMillis() < deadline) {
                    run = store.byDedupeKey("request:" + id);
                    Thread.sleep(200);
                }
                if (run.isEmpty()) {
                    System.err.println("the action service has not taken the request within 30 s; is it running? (./dbops status)");
                    return 1;
                }
                System.out.println("run " + run.get().id() + (noFollow ? "" : "; following its log (Ctrl-C stops following, not the run)"));
                return noFollow ? 0 : RunsCommand.tail(store, run.get().id(), true);
            }
        }
    }

    @Command(name = "playbooks", description = "The playbooks this build has, with their parameters and steps.")
    static final class Playbooks implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Playbook p : ActionService.builtInPlaybooks().values()) {
                System.out.println(p.name() + ": " + p.description());
                for (Param param : p.params()) {
                    System.out.println("  --param " + param.name() + "=" + param.type().name().toLowerCase() + (param.required() ? " (required)" : "")
                            + "  " + param.description());
                }
                System.out.println("  steps: " + String.join(", ", p.steps().stream().map(s -> s.name()).toList()));
            }
            return 0;
        }
    }

    @Command(name = "check-rules", description = "Validate a remediation rules file; prints every problem. Exit 2 if any.")
    static final class CheckRules implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            try {
                RemediationRules rules = ActionServiceMain.rules(file, ActionService.builtInPlaybooks());
                System.out.println(file + ": " + rules.rules().size() + " rules: " + String.join(", ",
                        rules.rules().stream().map(r -> r.name() + " -> " + r.playbook() + " (" + r.policy().name().toLowerCase() + ")").toList()));
                return 0;
            } catch (RemediationRules.RulesException e) {
                System.out.println(e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "unblock", description = "Acknowledge a cluster's last failover and lift its anti-flapping block.")
    static final class Unblock implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                boolean had = new RunStore(db.dataSource()).unblock(cluster);
                System.out.println(had ? cluster + ": block lifted; automation may change its roles again" : cluster + " was not blocked");
                return 0;
            }
        }
    }

    @Command(name = "kill-switch", description = "on: no automation runs at all (dry runs still do); off: back to the rules.")
    static final class KillSwitch implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(paramLabel = "on|off")
        String value;

        @Option(names = "--as", required = true)
        String user;

        @Override
        public Integer call() throws Exception {
            if (!value.equals("on") && !value.equals("off")) {
                System.err.println("kill-switch takes on or off, got '" + value + "'");
                return 2;
            }
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                new RunStore(db.dataSource()).setSwitch("kill_switch", value, user);
                System.out.println("kill switch " + value + " (by " + user + ")");
                return 0;
            }
        }
    }

    @Command(name = "maintenance", description = "Open a maintenance window: no automation on what it covers while it lasts.")
    static final class Maintenance implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--instance")
        String instance;

        @Option(names = "--cluster")
        String cluster;

        @Option(names = "--business-line")
        String businessLine;

        @Option(names = "--for", required = true, description = "How long, e.g. 30m or 2h.")
        String duration;

        @Option(names = "--reason", required = true)
        String reason;

        @Option(names = "--as", required = true)
        String user;

        @Override
        public Integer call() throws Exception {
            Duration d = Param.parseDuration(duration);
            if (d == null) {
                System.err.println("--for must be a duration such as 30m or 2h, got '" + duration + "'");
                return 2;
            }
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                new RunStore(db.dataSource()).addMaintenance(instance, cluster, businessLine, Instant.now(), Instant.now().plus(d), reason, user);
                System.out.println("maintenance window on " + (instance != null ? instance : cluster != null ? cluster
                        : businessLine != null ? businessLine : "the whole fleet") + " until " + Instant.now().plus(d));
                return 0;
            }
        }
    }

    @Command(name = "user", description = "Add or change a user's role: developer, dba or admin.")
    static final class User implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE")
        String role;

        @Option(names = "--business-lines", description = "Comma-separated, for developers.")
        String businessLines;

        @Override
        public Integer call() throws Exception {
            if (!List.of("developer", "dba", "admin").contains(role)) {
                System.err.println("ROLE must be developer, dba or admin, got '" + role + "'");
                return 2;
            }
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                db.migrate();
                new RunStore(db.dataSource()).upsertUser(name, role, businessLines);
                System.out.println(name + ": " + role);
                return 0;
            }
        }
    }
}
