package io.dbops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbops.mlmodels.placement.Decision;
import io.dbops.mlmodels.placement.HardConstraints;
import io.dbops.mlmodels.placement.PlacementEvaluation;
import io.dbops.mlmodels.placement.PlacementGenerator;
import io.dbops.mlmodels.placement.PlacementModel;
import io.dbops.mlmodels.placement.PlacementTraining;
import io.dbops.mlmodels.placement.ServerCandidate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./dbops bench placement}: trains the ranker on a generated history, scores it on held-out
 * decisions (the rest of the training seed's stream, and histories from other seeds) beside the
 * most-free-memory baseline, and times ranking 500 candidates.
 */
@Command(name = "placement", description = "Server-selection ranker: training time on generated history, top-1 / NDCG@3 / violations on "
        + "held-out histories beside the baseline, ranking latency for 500 candidates (docs/placement.md).")
final class PlacementBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print the result as one JSON line at the end.")
    boolean json;

    @Option(names = "--train", defaultValue = "20000", description = "Decisions to train on (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--held-out", defaultValue = "2000", description = "Decisions per held-out history (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Override
    public Integer call() throws Exception {
        HardConstraints rules = HardConstraints.DEFAULT;
        int cores = Runtime.getRuntime().availableProcessors();
        List<Decision> stream = PlacementGenerator.generate(1, train + heldOut);
        List<Decision> history = stream.subList(0, train);
        long t0 = System.nanoTime();
        PlacementTraining.Result r = PlacementTraining.train(history, PlacementTraining.Options.defaults());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        PlacementModel model = r.model();

        List<String> names = new ArrayList<>();
        List<PlacementEvaluation.Score[]> scores = new ArrayList<>();
        List<Decision> all = new ArrayList<>();
        names.add("seed 1, later decisions");
        List<List<Decision>> sets = new ArrayList<>(List.of(stream.subList(train, train + heldOut)));
        for (long seed : new long[] {2, 3, 4}) {
            names.add("seed " + seed);
            sets.add(PlacementGenerator.generate(seed, heldOut));
        }
        for (List<Decision> set : sets) {
            all.addAll(set);
            scores.add(new PlacementEvaluation.Score[] {PlacementEvaluation.evaluate(PlacementEvaluation.model(model, rules), set, rules),
                    PlacementEvaluation.evaluate(PlacementEvaluation.mostFreeMemory(rules), set, rules)});
        }
        PlacementEvaluation.Score m = PlacementEvaluation.evaluate(PlacementEvaluation.model(model, rules), all, rules);
        PlacementEvaluation.Score b = PlacementEvaluation.evaluate(PlacementEvaluation.mostFreeMemory(rules), all, rules);
        PlacementEvaluation.Score u = PlacementEvaluation.evaluate(PlacementEvaluation.modelWithoutRules(model), all, rules);

        // 500 candidates for one request: servers of several generated decisions, renamed apart
        List<Decision> pool = PlacementGenerator.generate(77, 40);
        List<ServerCandidate> five = new ArrayList<>();
        for (int i = 0; five.size() < 500; i++) {
            ServerCandidate c = pool.get(i / 40 % pool.size()).candidates().get(i % pool.get(i / 40 % pool.size()).candidates().size());
            five.add(new ServerCandidate(c.server() + "-" + i, c.rack(), c.dc(), c.cpuUtil(), c.memTotalGb(), c.memFreeGb(), c.diskFreeGb(), c.ioUtil(),
                    c.instances(), c.sameBusinessInstances(), c.sameClusterOnHost(), c.sameClusterInRack(), c.hardware(), c.maintenance()));
        }
        var request = pool.get(0).request();
        double[] rank = time(() -> model.rank(request, five, rules, 0));
        double[] explained = time(() -> model.rank(request, five, rules, 3));

        System.out.printf(Locale.ROOT, "server-selection ranker, %d cores (goals in brackets)%n", cores);
        System.out.printf(Locale.ROOT, "trained on %,d generated decisions (%,d candidate rows) in %.1f s (<= 60 s)%n", r.used(), r.rows(), trainSeconds);
        System.out.printf(Locale.ROOT, "%-26s %7s %7s %5s   %9s %9s %5s%n", "held-out history", "top-1", "NDCG@3", "viol", "base top1", "base NDCG", "viol");
        for (int i = 0; i < names.size(); i++) {
            PlacementEvaluation.Score[] s = scores.get(i);
            System.out.printf(Locale.ROOT, "%-26s %7.3f %7.3f %5d   %9.3f %9.3f %5d%n", names.get(i), s[0].top1(), s[0].ndcg3(), s[0].violations(),
                    s[1].top1(), s[1].ndcg3(), s[1].violations());
        }
        System.out.printf(Locale.ROOT, "%-26s %7.3f %7.3f %5d   %9.3f %9.3f %5d   (>= 0.90, >= 0.95, 0)%n", "all held-out", m.top1(), m.ndcg3(),
                m.violations(), b.top1(), b.ndcg3(), b.violations());
        System.out.printf(Locale.ROOT, "model alone without the hard rules would pick an infeasible server %d times of %,d%n", u.violations(), u.decisions());
        System.out.printf(Locale.ROOT, "rank 500 candidates: p50 %.2f ms, p99 %.2f ms (<= 5 ms); with reasons for the top 3: p50 %.2f ms, p99 %.2f ms%n",
                rank[0], rank[1], explained[0], explained[1]);
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("bench", "placement");
            o.put("cores", cores);
            o.put("train_decisions", r.used());
            o.put("train_s", Math.round(trainSeconds * 10) / 10.0);
            o.put("held_out_decisions", m.decisions());
            o.set("model", PlacementCommand.score(m));
            o.set("baseline", PlacementCommand.score(b));
            o.set("model_without_rules", PlacementCommand.score(u));
            var per = o.putArray("held_out");
            for (int i = 0; i < names.size(); i++) {
                per.addObject().put("history", names.get(i)).set("model", PlacementCommand.score(scores.get(i)[0]));
            }
            o.put("rank500_p50_ms", Math.round(rank[0] * 1000) / 1000.0);
            o.put("rank500_p99_ms", Math.round(rank[1] * 1000) / 1000.0);
            o.put("rank500_explain3_p99_ms", Math.round(explained[1] * 1000) / 1000.0);
            System.out.println(o);
        }
        return 0;
    }

    /** p50 and p99 in ms of 2,000 runs after 500 warm-up runs. */
    private static double[] time(Runnable r) {
        for (int i = 0; i < 500; i++) {
            r.run();
        }
        double[] ms = new double[2000];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.99) - 1]};
    }
}
