package io.dbops.cli;

import io.dbops.events.EventCodec;
import io.dbops.events.RuleUpdate;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.metrics.MetricsJobMain;
import io.dbops.flinkjobs.rules.Rule;
import io.dbops.flinkjobs.rules.RulePack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Alarm rule packs: check files, publish a pack to the running metrics job, print the default pack. */
@Command(name = "rules", description = "Alarm rule packs (docs/alarm-rules.md).",
        subcommands = {RulesCommand.Check.class, RulesCommand.Publish.class, RulesCommand.Default.class})
final class RulesCommand {

    @Command(name = "check", description = "Validate rule pack files; prints every problem of every file. Exit 2 if any.")
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            int bad = 0;
            for (Path f : files) {
                try {
                    RulePack p = RulePack.parse(f.toString(), Files.readString(f));
                    System.out.println(f + ": pack '" + p.name() + "', " + p.rules().size() + " rules: "
                            + String.join(", ", p.rules().stream().map(Rule::id).toList()));
                } catch (RulePack.InvalidRulePackException e) {
                    bad++;
                    System.out.println(e.getMessage());
                }
            }
            return bad == 0 ? 0 : 2;
        }
    }

    @Command(name = "publish", description = "Validate a rule pack and publish it on dbops.rules: the metrics job applies it "
            + "without a restart, replacing the pack of the same name.")
    static final class Publish implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: the local stack's).")
        String bootstrap;

        @Option(names = "--author", defaultValue = "${sys:user.name}", description = "Recorded with the pack (default: ${DEFAULT-VALUE}).")
        String author;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            String yaml = Files.readString(file);
            RulePack p;
            try {
                p = RulePack.parse(file.toString(), yaml);
            } catch (RulePack.InvalidRulePackException e) {
                System.out.println(e.getMessage());
                System.out.println("nothing published");
                return 2;
            }
            String servers = bootstrap != null ? bootstrap : stack.stack().kafkaBootstrap();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topic.RULES.topicName(), p.name(),
                        EventCodec.toBytes(new RuleUpdate(RuleUpdate.SCHEMA, Instant.now(), p.name(), yaml, author)))).get();
            }
            System.out.println("published pack '" + p.name() + "' (" + p.rules().size() + " rules) to " + Topic.RULES.topicName()
                    + " on " + servers);
            return 0;
        }
    }

    @Command(name = "default", description = "Print the bundled default rule pack (a starting point for your own).")
    static final class Default implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(MetricsJobMain.defaultPack());
            return 0;
        }
    }
}
