package io.dbops.mlmodels.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained server ranker: an XGBoost {@code rank:pairwise} booster with the feature list it was
 * trained on and the learned hardware preferences. It only ever ranks servers that pass the
 * {@link HardConstraints}; a request no server can take gets an empty ranking with every server's
 * reasons. Explanations are XGBoost's per-feature contributions to a server's score.
 *
 * <p>File format: one JSON document ({@code kind}, {@code feature_version}, {@code features},
 * training facts, {@code hardware_preference}, and the booster in XGBoost's UBJSON form, base64).
 * A file from another feature version is refused with the reason.
 */
public final class PlacementModel {
    public static final String KIND = "dbops-placement-ranker";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FEATURE_NAMES = PlacementFeatures.NAMES.toArray(String[]::new);

    private final Booster booster;
    private final HardwarePreference hardware;
    private final ObjectNode info;

    PlacementModel(Booster booster, HardwarePreference hardware, ObjectNode info) {
        this.booster = booster;
        this.hardware = hardware;
        this.info = info;
    }

    /** Training facts (decisions, rounds, parameters, when), as stored in the file. */
    public ObjectNode info() {
        return info.deepCopy();
    }

    /** A short identity for records: the training time and the number of decisions. */
    public String version() {
        return "v" + PlacementFeatures.VERSION + "@" + info.path("trained_at").asText("?") + "/" + info.path("decisions").asInt();
    }

    public HardwarePreference hardware() {
        return hardware;
    }

    /** One reason behind a score: a feature, its value for this server, and what it added. */
    public record Reason(String feature, double value, double contribution) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s=%s (%+.2f)", feature, Double.isNaN(value) ? "unknown" : trim(value), contribution);
        }

        private static String trim(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
        }
    }

    /** A feasible server with its score and, for the top ones, the reasons. */
    public record Ranked(ServerCandidate candidate, double score, List<Reason> reasons) {
    }

    /** Feasible servers best first, and the refused ones with the rules they break. */
    public record Ranking(List<Ranked> ranked, List<HardConstraints.Verdict> refused) {
        public boolean noneFeasible() {
            return ranked.isEmpty();
        }

        /** Why nothing can be placed: every server and the rules it breaks. */
        public String whyNone() {
            StringBuilder b = new StringBuilder("no feasible server");
            for (HardConstraints.Verdict v : refused) {
                b.append("; ").append(v.candidate().server()).append(": ").append(String.join(", ", v.broken()));
            }
            return b.toString();
        }
    }

    /** Ranks the feasible candidates; the first {@code explainTop} get their reasons. */
    public Ranking rank(PlacementRequest request, List<ServerCandidate> candidates, HardConstraints rules, int explainTop) {
        List<ServerCandidate> feasible = new ArrayList<>();
        List<HardConstraints.Verdict> refused = new ArrayList<>();
        for (HardConstraints.Verdict v : rules.verdicts(request, candidates)) {
            if (v.feasible()) {
                feasible.add(v.candidate());
            } else {
                refused.add(v);
            }
        }
        if (feasible.isEmpty()) {
            return new Ranking(List.of(), refused);
        }
        float[] m = PlacementFeatures.matrix(request, feasible, hardware);
        float[] scores = scores(m, feasible.size());
        Integer[] order = new Integer[feasible.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> feasible.get(i).server()));
        int explain = Math.min(explainTop, order.length);
        float[][] contrib = explain > 0 ? contributions(m, order, explain) : new float[0][];
        List<Ranked> ranked = new ArrayList<>(order.length);
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            List<Reason> reasons = k < explain ? reasons(m, i, contrib[k]) : List.of();
            ranked.add(new Ranked(feasible.get(i), scores[i], reasons));
        }
        return new Ranking(ranked, refused);
    }

    /** Scores every candidate given, feasible or not (for evaluating what the rules prevent). */
    public float[] scoreUnfiltered(PlacementRequest request, List<ServerCandidate> candidates) {
        return scores(PlacementFeatures.matrix(request, candidates, hardware), candidates.size());
    }

    private float[] scores(float[] m, int rows) {
        try {
            float[][] p = booster.inplace_predict(m, rows, PlacementFeatures.COUNT, Float.NaN);
            float[] out = new float[rows];
            for (int i = 0; i < rows; i++) {
                out[i] = p[i][0];
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    private float[][] contributions(float[] m, Integer[] order, int explain) {
        float[] rows = new float[explain * PlacementFeatures.COUNT];
        for (int k = 0; k < explain; k++) {
            System.arraycopy(m, order[k] * PlacementFeatures.COUNT, rows, k * PlacementFeatures.COUNT, PlacementFeatures.COUNT);
        }
        DMatrix d = null;
        try {
            d = new DMatrix(rows, explain, PlacementFeatures.COUNT, Float.NaN);
            d.setFeatureNames(FEATURE_NAMES);
            return booster.predictContrib(d, 0);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost contributions failed: " + e.getMessage(), e);
        } finally {
            if (d != null) {
                d.dispose();
            }
        }
    }

    /** The three largest contributions, largest first. */
    private static List<Reason> reasons(float[] m, int row, float[] contrib) {
        List<Reason> all = new ArrayList<>();
        for (int f = 0; f < PlacementFeatures.COUNT; f++) {
            if (contrib[f] != 0) {
                all.add(new Reason(PlacementFeatures.NAMES.get(f), m[row * PlacementFeatures.COUNT + f], contrib[f]));
            }
        }
        all.sort(Comparator.comparingDouble((Reason r) -> -Math.abs(r.contribution())).thenComparing(Reason::feature));
        return List.copyOf(all.subList(0, Math.min(3, all.size())));
    }

    /** Writes the model file (aside, then renamed into place). */
    public void save(Path file) throws IOException {
        ObjectNode root = info.deepCopy();
        root.put("kind", KIND);
        root.put("feature_version", PlacementFeatures.VERSION);
        root.set("features", JSON.valueToTree(PlacementFeatures.NAMES));
        root.set("hardware_preference", JSON.valueToTree(hardware.lifts()));
        try {
            root.put("booster", Base64.getEncoder().encodeToString(booster.toByteArray("ubj")));
        } catch (XGBoostError e) {
            throw new IOException("cannot serialise the booster: " + e.getMessage(), e);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a model file; refuses one of another kind or feature version, naming what differs. */
    public static PlacementModel load(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not a placement model (not JSON: " + e.getMessage() + ")", e);
        }
        if (root == null || !KIND.equals(root.path("kind").asText())) {
            throw new IOException(file + " is not a placement model (kind is not " + KIND + ")");
        }
        int version = root.path("feature_version").asInt(-1);
        List<String> features = new ArrayList<>();
        root.path("features").forEach(n -> features.add(n.asText()));
        if (version != PlacementFeatures.VERSION || !features.equals(PlacementFeatures.NAMES)) {
            throw new IOException(file + " was trained on feature version " + version + " (" + features.size() + " features); this dbops uses version "
                    + PlacementFeatures.VERSION + " (" + PlacementFeatures.COUNT + " features): retrain it with ./dbops placement train or retrain");
        }
        Map<String, Double> lifts = new TreeMap<>();
        root.path("hardware_preference").fields().forEachRemaining(e -> lifts.put(e.getKey(), e.getValue().asDouble()));
        Booster booster;
        try {
            booster = XGBoost.loadModel(Base64.getDecoder().decode(root.path("booster").asText()));
        } catch (XGBoostError | IllegalArgumentException e) {
            throw new IOException(file + ": the booster cannot be read (" + e.getMessage() + ")", e);
        }
        ObjectNode info = ((ObjectNode) root).deepCopy();
        info.remove(List.of("booster", "hardware_preference", "features", "kind"));
        return new PlacementModel(booster, new HardwarePreference(lifts), info);
    }
}
