package io.dbops.mlmodels.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores rankers on history the model did not see: top-1 accuracy (the ranker's first server is
 * the one chosen), NDCG@3 (the chosen server is the only relevant one: 1 at rank 1, 1/log2(3) at
 * rank 2, 1/2 at rank 3, 0 below) and hard-constraint violations of the ranker's picks. Decisions
 * whose chosen server itself breaks a rule, or where nothing was feasible, cannot be scored and are
 * counted apart.
 */
public final class PlacementEvaluation {
    private PlacementEvaluation() {
    }

    /** A ranker: the candidates it would offer, best first (it may leave some out). */
    public interface Ranker {
        List<ServerCandidate> order(PlacementRequest request, List<ServerCandidate> candidates);
    }

    /** The heuristic baseline: the feasible server with the most free memory (ties: name). */
    public static Ranker mostFreeMemory(HardConstraints rules) {
        return (request, candidates) -> {
            List<ServerCandidate> feasible = new ArrayList<>(rules.feasible(request, candidates));
            feasible.sort(Comparator.comparingDouble((ServerCandidate c) -> -c.memFreeGb()).thenComparing(ServerCandidate::server));
            return feasible;
        };
    }

    /** The model behind the hard constraints, as the platform uses it. */
    public static Ranker model(PlacementModel model, HardConstraints rules) {
        return (request, candidates) -> model.rank(request, candidates, rules, 0).ranked().stream().map(PlacementModel.Ranked::candidate).toList();
    }

    /** The model alone, every candidate scored: what the rules are there to prevent. */
    public static Ranker modelWithoutRules(PlacementModel model) {
        return (request, candidates) -> {
            float[] s = model.scoreUnfiltered(request, candidates);
            Integer[] order = new Integer[candidates.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparing(i -> candidates.get(i).server()));
            List<ServerCandidate> out = new ArrayList<>(order.length);
            for (Integer i : order) {
                out.add(candidates.get(i));
            }
            return out;
        };
    }

    /** What a ranker scored over the decisions that could be scored. */
    public record Score(int decisions, int unscorable, double top1, double ndcg3, int violations) {
    }

    public static Score evaluate(Ranker ranker, List<Decision> history, HardConstraints rules) {
        int scored = 0;
        int unscorable = 0;
        int hits = 0;
        double ndcg = 0;
        int violations = 0;
        for (Decision d : history) {
            ServerCandidate chosen = d.chosenCandidate();
            if (chosen == null || !rules.check(d.request(), chosen).feasible()) {
                unscorable++;
                continue;
            }
            scored++;
            List<ServerCandidate> order = ranker.order(d.request(), d.candidates());
            if (order.isEmpty()) {
                continue;
            }
            if (!rules.check(d.request(), order.get(0)).feasible()) {
                violations++;
            }
            for (int k = 0; k < Math.min(3, order.size()); k++) {
                if (order.get(k).server().equals(d.chosen())) {
                    ndcg += 1 / (Math.log(k + 2) / Math.log(2));
                    if (k == 0) {
                        hits++;
                    }
                }
            }
        }
        return new Score(scored, unscorable, scored == 0 ? 0 : (double) hits / scored, scored == 0 ? 0 : ndcg / scored, violations);
    }
}
