package io.dbops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbops.metadata.MetadataDb;
import io.dbops.metadata.PlacementHistory;
import io.dbops.mlmodels.placement.Decision;
import io.dbops.mlmodels.placement.HardConstraints;
import io.dbops.mlmodels.placement.HistoryCodec;
import io.dbops.mlmodels.placement.PlacementEvaluation;
import io.dbops.mlmodels.placement.PlacementGenerator;
import io.dbops.mlmodels.placement.PlacementModel;
import io.dbops.mlmodels.placement.PlacementRequest;
import io.dbops.mlmodels.placement.PlacementTraining;
import io.dbops.mlmodels.placement.ServerCandidate;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Server selection (docs/placement.md): train, evaluate and use the ranker; move its history in and out of the metadata DB. */
@Command(name = "placement", description = "Server selection: a learning-to-rank model from placement history, behind hard rules (docs/placement.md).",
        subcommands = {PlacementCommand.Train.class, PlacementCommand.Evaluate.class, PlacementCommand.Recommend.class,
                PlacementCommand.Generate.class, PlacementCommand.Retrain.class, PlacementCommand.Export.class, PlacementCommand.Import.class})
final class PlacementCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlacementCommand() {
    }

    /** The hard rules' options, shared by the commands that apply them. */
    static final class Rules {
        @Option(names = "--memory-reserve-gb", defaultValue = "0", description = "Memory a server keeps free beyond the request (default: 0).")
        double memoryReserve;

        @Option(names = "--disk-reserve-gb", defaultValue = "0", description = "Disk a server keeps free beyond the request (default: 0).")
        double diskReserve;

        @Option(names = "--rack-spread-hard", description = "Make rack spread of a replica set a hard rule (default: a preference).")
        boolean rackSpreadHard;

        HardConstraints constraints() {
            return new HardConstraints(memoryReserve, diskReserve, rackSpreadHard);
        }
    }

    /** Reads a history file; prints every bad line; null (after saying so) when there were any and they may not be skipped. */
    static List<Decision> history(Path file, boolean skipBad, PrintStream err) throws IOException {
        if (!Files.isRegularFile(file)) {
            err.println(file + ": no such file");
            return null;
        }
        HistoryCodec.Read read = HistoryCodec.read(file);
        read.problems().stream().limit(20).forEach(p -> err.println(file + ": " + p));
        if (read.problems().size() > 20) {
            err.println(file + ": ... " + (read.problems().size() - 20) + " more bad lines");
        }
        if (!read.problems().isEmpty() && !skipBad) {
            err.println(file + ": " + read.problems().size() + " bad line(s); fix them or pass --skip-bad-lines");
            return null;
        }
        if (read.decisions().isEmpty()) {
            err.println(file + ": no decisions");
            return null;
        }
        return read.decisions();
    }

    static PlacementTraining.Result train(List<Decision> history, int rounds, HardConstraints rules, PrintStream out, Path model) throws IOException {
        long t0 = System.nanoTime();
        PlacementTraining.Options d = PlacementTraining.Options.defaults();
        PlacementTraining.Result r = PlacementTraining.train(history, new PlacementTraining.Options(rounds, d.maxDepth(), d.eta(), d.threads(), rules));
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.model().save(model);
        out.printf(Locale.ROOT, "trained on %,d decisions (%,d candidate rows) in %.1f s; skipped %d whose choice breaks a hard rule and %d with "
                + "one feasible server -> %s%n", r.used(), r.rows(), seconds, r.skippedInfeasibleChoice(), r.skippedSingleCandidate(), model);
        return r;
    }

    @Command(name = "train", description = "Train the ranker on a history file (JSON lines) and write the model file.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--history", required = true, description = "Decisions, one JSON object per line.")
        Path history;

        @Option(names = "--model", required = true, description = "Model file to write.")
        Path model;

        @Option(names = "--rounds", defaultValue = "150", description = "Boosting rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--skip-bad-lines", description = "Train on the good lines when some are bad (they are listed either way).")
        boolean skipBad;

        @Mixin
        Rules rules;

        @Override
        public Integer call() throws Exception {
            List<Decision> h = history(history, skipBad, System.err);
            if (h == null) {
                return 2;
            }
            try {
                train(h, rounds, rules.constraints(), System.out, model);
            } catch (IllegalArgumentException e) {
                System.err.println("dbops placement train: " + e.getMessage());
                return 2;
            }
            return 0;
        }
    }

    @Command(name = "evaluate", description = "Top-1 accuracy, NDCG@3 and hard-rule violations of the model's picks on a history, beside the "
            + "heuristic baseline (most free memory among feasible servers).")
    static final class Evaluate implements Callable<Integer> {
        @Option(names = "--model", required = true)
        Path model;

        @Option(names = "--history", required = true)
        Path history;

        @Option(names = "--skip-bad-lines")
        boolean skipBad;

        @Option(names = "--json", description = "Print the result as one JSON line at the end.")
        boolean json;

        @Mixin
        Rules rules;

        @Override
        public Integer call() throws Exception {
            PlacementModel m = load(model);
            List<Decision> h = history(history, skipBad, System.err);
            if (m == null || h == null) {
                return 2;
            }
            HardConstraints c = rules.constraints();
            PlacementEvaluation.Score model = PlacementEvaluation.evaluate(PlacementEvaluation.model(m, c), h, c);
            PlacementEvaluation.Score baseline = PlacementEvaluation.evaluate(PlacementEvaluation.mostFreeMemory(c), h, c);
            PlacementEvaluation.Score unruled = PlacementEvaluation.evaluate(PlacementEvaluation.modelWithoutRules(m), h, c);
            print(System.out, h.size(), model, baseline, unruled);
            if (json) {
                System.out.println(json(model, baseline, unruled));
            }
            return 0;
        }
    }

    static void print(PrintStream out, int decisions, PlacementEvaluation.Score model, PlacementEvaluation.Score baseline,
                      PlacementEvaluation.Score unruled) {
        out.printf(Locale.ROOT, "%,d decisions, %,d scored (%,d chose a server that breaks a hard rule: not scored)%n", decisions, model.decisions(),
                model.unscorable());
        out.printf(Locale.ROOT, "%-44s %8s %8s %11s%n", "ranker", "top-1", "NDCG@3", "violations");
        out.printf(Locale.ROOT, "%-44s %8.3f %8.3f %11d%n", "model behind the hard rules", model.top1(), model.ndcg3(), model.violations());
        out.printf(Locale.ROOT, "%-44s %8.3f %8.3f %11d%n", "baseline: most free memory among feasible", baseline.top1(), baseline.ndcg3(),
                baseline.violations());
        out.printf(Locale.ROOT, "%-44s %8.3f %8.3f %11d%n", "(model alone, without the rules)", unruled.top1(), unruled.ndcg3(), unruled.violations());
    }

    static ObjectNode json(PlacementEvaluation.Score model, PlacementEvaluation.Score baseline, PlacementEvaluation.Score unruled) {
        ObjectNode o = JSON.createObjectNode();
        o.set("model", score(model));
        o.set("baseline", score(baseline));
        o.set("model_without_rules", score(unruled));
        return o;
    }

    static ObjectNode score(PlacementEvaluation.Score s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("top1", Math.round(s.top1() * 10000) / 10000.0);
        o.put("ndcg3", Math.round(s.ndcg3() * 10000) / 10000.0);
        o.put("violations", s.violations());
        o.put("decisions", s.decisions());
        return o;
    }

    static PlacementModel load(Path file) {
        try {
            return PlacementModel.load(file);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return null;
        }
    }

    @Command(name = "recommend", description = "Rank the feasible servers for one request, with scores and the top reasons; list the others "
            + "with the rules they break.")
    static final class Recommend implements Callable<Integer> {
        @Option(names = "--model", required = true)
        Path model;

        @Option(names = "--request", required = true, description = "The request: a JSON object (id, engine, memory_gb, disk_gb, business, cluster, role).")
        Path request;

        @Option(names = "--candidates", required = true, description = "The servers: a JSON array of candidate objects (the history's fields).")
        Path candidates;

        @Option(names = "--top", defaultValue = "10", description = "How many to print (default: ${DEFAULT-VALUE}).")
        int top;

        @Option(names = "--json", description = "Print the ranking as one JSON line at the end.")
        boolean json;

        @Mixin
        Rules rules;

        @Override
        public Integer call() throws Exception {
            PlacementModel m = load(model);
            if (m == null) {
                return 2;
            }
            PlacementRequest req;
            List<ServerCandidate> cands;
            try {
                req = HistoryCodec.request(readJson(request));
                cands = HistoryCodec.candidates(readJson(candidates), "candidates");
            } catch (HistoryCodec.BadDecision | IOException e) {
                System.err.println("dbops placement recommend: " + e.getMessage());
                return 2;
            }
            PlacementModel.Ranking r = m.rank(req, cands, rules.constraints(), top);
            if (r.noneFeasible()) {
                System.err.println("dbops placement recommend: " + r.whyNone());
                if (json) {
                    System.out.println(JSON.createObjectNode().put("feasible", 0).put("reason", r.whyNone()));
                }
                return 3;
            }
            System.out.printf(Locale.ROOT, "%d feasible of %d servers for %s (%s, %.0f GB memory, %.0f GB disk), model %s%n", r.ranked().size(),
                    cands.size(), req.id(), req.engine(), req.memoryGb(), req.diskGb(), m.version());
            System.out.printf(Locale.ROOT, "%4s  %-24s %8s  %s%n", "rank", "server", "score", "top reasons (feature=value (contribution))");
            for (int i = 0; i < Math.min(top, r.ranked().size()); i++) {
                PlacementModel.Ranked x = r.ranked().get(i);
                System.out.printf(Locale.ROOT, "%4d  %-24s %8.3f  %s%n", i + 1, x.candidate().server(), x.score(),
                        String.join(", ", x.reasons().stream().map(Object::toString).toList()));
            }
            for (var v : r.refused()) {
                System.out.printf(Locale.ROOT, "%4s  %-24s %8s  %s%n", "-", v.candidate().server(), "refused", String.join(", ", v.broken()));
            }
            if (json) {
                ObjectNode o = JSON.createObjectNode();
                o.put("model", m.version());
                var ranked = o.putArray("ranked");
                for (PlacementModel.Ranked x : r.ranked()) {
                    ObjectNode e = ranked.addObject().put("server", x.candidate().server()).put("score", x.score());
                    var reasons = e.putArray("reasons");
                    x.reasons().forEach(rs -> reasons.addObject().put("feature", rs.feature()).put("value", rs.value()).put("contribution", rs.contribution()));
                }
                var refused = o.putArray("refused");
                r.refused().forEach(v -> refused.addObject().put("server", v.candidate().server()).put("reason", String.join(", ", v.broken())));
                System.out.println(o);
            }
            return 0;
        }
    }

    static JsonNode readJson(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    @Command(name = "generate", description = "Write a synthetic history from a realistic DBA policy (for a new install and for tests).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--seed", required = true)
        long seed;

        @Option(names = "--decisions", required = true)
        int decisions;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            if (decisions <= 0) {
                System.err.println("--decisions must be > 0");
                return 2;
            }
            List<Decision> h = PlacementGenerator.generate(seed, decisions);
            HistoryCodec.write(out, h);
            System.out.printf(Locale.ROOT, "%,d decisions (seed %d) -> %s%n", h.size(), seed, out);
            return 0;
        }
    }

    /** The local stack's metadata DB. */
    static MetadataDb metadata(StackOptions stack) {
        return RunsCommand.metadata(stack);
    }

    /** The metadata DB's history as decisions; rows that cannot be read are reported and left out. */
    static List<Decision> dbHistory(PlacementHistory history, PrintStream err) throws Exception {
        List<Decision> out = new ArrayList<>();
        int[] bad = {0};
        history.forEach(row -> {
            try {
                ObjectNode line = JSON.createObjectNode();
                line.set("request", JSON.readTree(row.requestJson()));
                line.set("candidates", JSON.readTree(row.candidatesJson()));
                line.put("chosen", row.chosen());
                line.put("chosen_by", row.chosenBy());
                line.put("decided_at", row.decidedAt().toString());
                line.putObject("outcome").put("incidents_30d", row.incidents30d());
                out.add(HistoryCodec.decision(line));
            } catch (IOException | HistoryCodec.BadDecision e) {
                bad[0]++;
                err.println("placement decision " + row.requestId() + " cannot be read: " + e.getMessage());
            }
        });
        return out;
    }

    @Command(name = "retrain", description = "Retrain the model from the metadata DB's history and install it where the action service and "
            + "the dashboard read it (they pick it up on their next selection).")
    static final class Retrain implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Mixin
        Rules rules;

        @Option(names = "--model", description = "Model file to write (default: the local platform's, .dbops/placement/model.json).")
        Path model;

        @Option(names = "--bootstrap", defaultValue = "0", description = "Add this many synthetic decisions (a new install has little "
                + "history; default: ${DEFAULT-VALUE}).")
        int bootstrap;

        @Option(names = "--rounds", defaultValue = "150")
        int rounds;

        @Override
        public Integer call() throws Exception {
            List<Decision> h;
            try (MetadataDb db = metadata(stack)) {
                h = new ArrayList<>(dbHistory(new PlacementHistory(db.dataSource()), System.err));
            }
            System.out.printf(Locale.ROOT, "%,d decisions in the metadata DB%n", h.size());
            if (bootstrap > 0) {
                h.addAll(PlacementGenerator.generate(1, bootstrap));
                System.out.printf(Locale.ROOT, "%,d synthetic decisions added%n", bootstrap);
            }
            Path target = model != null ? model : stack.stack().placementModel();
            try {
                train(h, rounds, rules.constraints(), System.out, target);
            } catch (IllegalArgumentException e) {
                System.err.println("dbops placement retrain: " + e.getMessage() + (bootstrap == 0 ? "; --bootstrap N adds synthetic decisions" : ""));
                return 2;
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Write the metadata DB's placement history as JSON lines.")
    static final class Export implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            List<Decision> h;
            try (MetadataDb db = metadata(stack)) {
                h = dbHistory(new PlacementHistory(db.dataSource()), System.err);
            }
            HistoryCodec.write(out, h);
            System.out.printf(Locale.ROOT, "%,d decisions -> %s%n", h.size(), out);
            return 0;
        }
    }

    @Command(name = "import", description = "Add a history file's decisions to the metadata DB (recorded as chosen_by=imported unless the line says).")
    static final class Import implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--history", required = true)
        Path history;

        @Option(names = "--skip-bad-lines")
        boolean skipBad;

        @Override
        public Integer call() throws Exception {
            List<Decision> h = PlacementCommand.history(history, skipBad, System.err);
            if (h == null) {
                return 2;
            }
            try (MetadataDb db = metadata(stack)) {
                db.migrate();
                PlacementHistory store = new PlacementHistory(db.dataSource());
                for (Decision d : h) {
                    store.record(new PlacementHistory.Row(d.request().id(), null, d.request().engine(), d.request().business(), d.chosen(),
                            d.chosenBy() == null ? "imported" : d.chosenBy(), null, null, HistoryCodec.requestNode(d.request()).toString(),
                            HistoryCodec.candidatesNode(d.candidates()).toString(), d.incidents30d() == null ? 0 : d.incidents30d(),
                            d.decidedAt() == null ? Instant.now() : Instant.parse(d.decidedAt())));
                }
            }
            System.out.printf(Locale.ROOT, "%,d decisions imported from %s%n", h.size(), history);
            return 0;
        }
    }
}
