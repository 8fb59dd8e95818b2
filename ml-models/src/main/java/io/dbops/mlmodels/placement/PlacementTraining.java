package io.dbops.mlmodels.placement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains the ranker: one query group per decision, made of the servers that passed the hard
 * constraints (label 1 for the one chosen, 0 for the others), XGBoost {@code rank:pairwise} with a
 * fixed seed and no sampling, so the same history always gives the same model. Decisions that
 * teach nothing are skipped and counted: the chosen server breaks a rule (an override against the
 * rules is not a preference to learn), or fewer than two servers were feasible.
 */
public final class PlacementTraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlacementTraining() {
    }

    /** Boosting rounds, tree depth, learning rate, threads; and the rules that decide feasibility. */
    public record Options(int rounds, int maxDepth, double eta, int threads, HardConstraints rules) {
        public static Options defaults() {
            return new Options(150, 6, 0.15, Math.max(1, Runtime.getRuntime().availableProcessors()), HardConstraints.DEFAULT);
        }
    }

    /** The model and what training did with the history. */
    public record Result(PlacementModel model, int used, int skippedInfeasibleChoice, int skippedSingleCandidate, long rows) {
    }

    public static Result train(List<Decision> history, Options options) {
        HardwarePreference hardware = HardwarePreference.learn(history, options.rules());
        List<float[]> parts = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        int infeasible = 0;
        int single = 0;
        long rows = 0;
        for (Decision d : history) {
            List<ServerCandidate> feasible = options.rules().feasible(d.request(), d.candidates());
            int chosen = -1;
            for (int i = 0; i < feasible.size(); i++) {
                if (feasible.get(i).server().equals(d.chosen())) {
                    chosen = i;
                }
            }
            if (chosen < 0) {
                infeasible++;
                continue;
            }
            if (feasible.size() < 2) {
                single++;
                continue;
            }
            parts.add(PlacementFeatures.matrix(d.request(), feasible, hardware));
            float[] y = new float[feasible.size()];
            y[chosen] = 1;
            labels.add(y);
            groups.add(feasible.size());
            rows += feasible.size();
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("the history has no decision to learn from (" + history.size() + " read, " + infeasible
                    + " chose a server that breaks a hard rule, " + single + " had one feasible server)");
        }
        if (rows * PlacementFeatures.COUNT > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("history too large to train in one matrix (" + rows + " candidate rows)");
        }
        float[] data = new float[(int) rows * PlacementFeatures.COUNT];
        float[] label = new float[(int) rows];
        int at = 0;
        int row = 0;
        for (int g = 0; g < parts.size(); g++) {
            System.arraycopy(parts.get(g), 0, data, at, parts.get(g).length);
            at += parts.get(g).length;
            System.arraycopy(labels.get(g), 0, label, row, labels.get(g).length);
            row += labels.get(g).length;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "rank:pairwise");
        params.put("tree_method", "hist");
        params.put("max_depth", options.maxDepth());
        params.put("eta", options.eta());
        params.put("seed", 7);
        params.put("subsample", 1.0);
        params.put("colsample_bytree", 1.0);
        params.put("nthread", options.threads());
        params.put("verbosity", 0);
        DMatrix train = null;
        try {
            train = new DMatrix(data, (int) rows, PlacementFeatures.COUNT, Float.NaN);
            train.setFeatureNames(PlacementFeatures.NAMES.toArray(String[]::new));
            train.setLabel(label);
            train.setGroup(groups.stream().mapToInt(Integer::intValue).toArray());
            Booster booster = XGBoost.train(train, params, options.rounds(), new HashMap<>(), null, null);
            ObjectNode info = JSON.createObjectNode();
            info.put("trained_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            info.put("decisions", groups.size());
            info.put("skipped_infeasible_choice", infeasible);
            info.put("skipped_single_candidate", single);
            info.put("rows", rows);
            info.put("rounds", options.rounds());
            info.set("params", JSON.valueToTree(params));
            info.putObject("constraints").put("memory_reserve_gb", options.rules().memoryReserveGb())
                    .put("disk_reserve_gb", options.rules().diskReserveGb()).put("rack_spread_hard", options.rules().rackSpreadHard());
            return new Result(new PlacementModel(booster, hardware, info), groups.size(), infeasible, single, rows);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (train != null) {
                train.dispose();
            }
        }
    }
}
