package io.dbops.cli;

import io.dbops.mlmodels.merge.AlarmDistance;
import io.dbops.mlmodels.merge.AlarmFiles;
import io.dbops.mlmodels.merge.AlarmPoint;
import io.dbops.mlmodels.merge.IncrementalClusterer;
import io.dbops.mlmodels.merge.PartitionScores;
import io.dbops.mlmodels.merge.StormGenerator;
import io.dbops.mlmodels.merge.Topology;
import io.dbops.mlmodels.merge.TypeAffinity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Offline alarm merging: generate storms with ground truth, merge alarm files, score a merge against the truth. */
@Command(name = "alarms", description = "Alarm merging offline (docs/alarm-merging.md): the same clustering code as the streaming merger.",
        subcommands = {AlarmsCommand.Generate.class, AlarmsCommand.Merge.class, AlarmsCommand.Evaluate.class})
final class AlarmsCommand {

    @Command(name = "generate", description = "Write topology.json, alarms.jsonl and truth.jsonl: a fleet with injected faults that "
            + "propagate along the topology, background and flapping alarms.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--seed", required = true)
        long seed;

        @Option(names = "--faults-per-hour", defaultValue = "12")
        double faults;

        @Option(names = "--background-per-hour", defaultValue = "90")
        double background;

        @Option(names = "--out", defaultValue = ".", description = "Folder to write into (default: the current one).")
        Path out;

        @Override
        public Integer call() throws Exception {
            StormGenerator.Output o = StormGenerator.generate(StormGenerator.Settings.of(seed, faults, background));
            Files.createDirectories(out);
            AlarmFiles.writeTopology(out.resolve("topology.json"), o.topology());
            AlarmFiles.writeAlarms(out.resolve("alarms.jsonl"), o.alarms());
            AlarmFiles.writeAssignments(out.resolve("truth.jsonl"), o.truth(), Set.of());
            System.out.printf(Locale.ROOT, "%d alarms in %d true incidents, %d hosts, %d instances -> %s%n", o.alarms().size(),
                    new HashSet<>(o.truth().values()).size(), o.topology().hosts().size(), o.topology().instances().size(), out);
            return 0;
        }
    }

    @Command(name = "merge", description = "Merge alarms into incidents: one {\"alarm_id\", \"incident_id\"} line per input alarm.")
    static final class Merge implements Callable<Integer> {
        @Option(names = "--topology", required = true)
        Path topology;

        @Option(names = "--alarms", required = true)
        Path alarms;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--history", paramLabel = "ALARMS=TRUTH", description = "Past alarms and their incidents to learn type affinity from (repeatable); without it every type pair starts neutral.")
        Map<Path, Path> history;

        @Option(names = "--threshold", description = "Distance under which an alarm joins an incident (default: the merger's, 0.97; two incidents merge under 0.9).")
        Double threshold;

        @Override
        public Integer call() throws Exception {
            Topology t;
            try {
                t = Topology.parse(Files.readString(topology));
            } catch (Topology.InvalidTopologyException e) {
                System.err.println(topology + ": " + e.getMessage());
                return 2;
            }
            TypeAffinity affinity = learn(history);
            AlarmFiles.Read read = AlarmFiles.readAlarms(alarms);
            read.problems().forEach(p -> System.err.println("skipped " + p));
            List<AlarmPoint> points = AlarmFiles.points(t, read.alarms());
            Set<String> unknown = new HashSet<>();
            IncrementalClusterer c = new IncrementalClusterer(new AlarmDistance(t, affinity, AlarmDistance.Scales.DEFAULT),
                    new IncrementalClusterer.Settings(threshold != null ? threshold : IncrementalClusterer.Settings.DEFAULT.threshold(),
                            IncrementalClusterer.Settings.DEFAULT.mergeThreshold(), IncrementalClusterer.Settings.DEFAULT.horizonMs(),
                            IncrementalClusterer.Settings.DEFAULT.sampleMembers()));
            for (AlarmPoint p : points) {
                c.add(p);
                if (!p.location().known()) {
                    unknown.add(p.id());
                }
            }
            Map<String, String> assignments = c.assignments();
            AlarmFiles.writeAssignments(out, assignments, unknown);
            System.out.printf(Locale.ROOT, "%d alarms -> %d incidents (%d alarms not in the topology, flagged; %d lines skipped) -> %s%n",
                    assignments.size(), new HashSet<>(assignments.values()).size(), unknown.size(), read.problems().size(), out);
            return 0;
        }
    }

    static TypeAffinity learn(Map<Path, Path> history) throws java.io.IOException {
        TypeAffinity affinity = TypeAffinity.withPrior();
        if (history != null) {
            for (Map.Entry<Path, Path> h : history.entrySet()) {
                affinity.learnAll(AlarmFiles.incidents(AlarmFiles.readAlarms(h.getKey()).alarms(), AlarmFiles.readAssignments(h.getValue())));
            }
        }
        return affinity;
    }

    @Command(name = "evaluate", description = "Score predicted incidents against the truth: pairwise precision/recall/F1, adjusted Rand "
            + "index, compression (alarms per incident), missing alarms.")
    static final class Evaluate implements Callable<Integer> {
        @Option(names = "--truth", required = true)
        Path truth;

        @Option(names = "--pred", required = true)
        Path pred;

        @Override
        public Integer call() throws Exception {
            PartitionScores s = PartitionScores.of(AlarmFiles.readAssignments(truth), AlarmFiles.readAssignments(pred));
            System.out.printf(Locale.ROOT, "alarms %d, missing %d%npairwise precision %.3f recall %.3f F1 %.3f%nadjusted Rand index %.3f%n"
                    + "compression %.2f alarms/incident (truth %.2f)%n", s.alarms(), s.missing(), s.precision(), s.recall(), s.f1(), s.ari(),
                    s.predictedCompression(), s.trueCompression());
            return 0;
        }
    }
}
