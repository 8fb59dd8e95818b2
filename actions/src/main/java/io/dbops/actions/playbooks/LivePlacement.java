package io.dbops.actions.playbooks;

import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import io.dbops.metadata.PlacementHistory;
import io.dbops.mlmodels.placement.HardConstraints;
import io.dbops.mlmodels.placement.HistoryCodec;
import io.dbops.mlmodels.placement.PlacementEvaluation;
import io.dbops.mlmodels.placement.PlacementModel;
import io.dbops.mlmodels.placement.PlacementRequest;
import io.dbops.mlmodels.placement.ServerCandidate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server selection on the live inventory: builds the request and every server's features from the
 * metadata DB (capacity from {@code servers}, what the instances on it were given, business-line
 * and replica-set neighbours), applies the hard rules, and ranks the feasible servers with the
 * trained model when its file exists (re-read when it changes), else by the heuristic (most free
 * memory). Host CPU and IO utilisation are not collected by this platform yet: they are passed as
 * unknown, which the model was trained to handle. Decisions are recorded in the placement history.
 */
public final class LivePlacement {
    private static final Logger LOG = LoggerFactory.getLogger(LivePlacement.class);

    private final Inventory inventory;
    private final PlacementHistory history;
    private final Path modelFile;
    private final HardConstraints rules;
    private PlacementModel model;
    private long modelStamp = Long.MIN_VALUE;
    private String modelProblem;

    public LivePlacement(Inventory inventory, PlacementHistory history, Path modelFile, HardConstraints rules) {
        this.inventory = inventory;
        this.history = history;
        this.modelFile = modelFile;
        this.rules = rules;
    }

    /** Optional service configuration keys: the model file, reserves, and whether rack spread is a hard rule. */
    public static final List<String> CONFIG_KEYS = List.of("placement.model", "placement.memory.reserve.gb", "placement.disk.reserve.gb",
            "placement.rack.spread.hard");
    public static final List<String> NUMERIC_KEYS = List.of("placement.memory.reserve.gb", "placement.disk.reserve.gb");

    /** Server selection as a service's configuration says (no model file configured: the heuristic). */
    public static LivePlacement fromConfig(io.dbops.collectors.ServiceConfig config, javax.sql.DataSource db) {
        String hard = config.get("placement.rack.spread.hard");
        if (hard != null && !hard.equals("true") && !hard.equals("false")) {
            throw new IllegalArgumentException("placement.rack.spread.hard must be true or false, got '" + hard + "'");
        }
        return new LivePlacement(new Inventory(db), new PlacementHistory(db), config.get("placement.model") == null ? null
                : Path.of(config.get("placement.model")), new HardConstraints(config.number("placement.memory.reserve.gb", 0),
                config.number("placement.disk.reserve.gb", 0), "true".equals(hard)));
    }

    public PlacementHistory history() {
        return history;
    }

    /** A feasible server: best first, with its score and the model's reasons (empty for the heuristic). */
    public record Option(ServerCandidate candidate, String address, double score, List<String> reasons) {
    }

    /** A server that cannot take the instance, and why. */
    public record Refusal(String server, String reason) {
    }

    /** The proposal: the request and candidates as recorded, the ranking, the refusals and how it was ranked. */
    public record Proposal(PlacementRequest request, List<ServerCandidate> candidates, List<Option> ranked, List<Refusal> refused, String method,
                           String modelVersion) {
        public String whyNone() {
            return "no server can take " + request.id() + ": " + String.join("; ", refused.stream().map(r -> r.server() + ": " + r.reason()).toList());
        }
    }

    /** Default memory and disk (GB) of an instance whose allocation was not recorded. */
    public static double[] defaults(String engine) {
        String e = engine.toLowerCase(Locale.ROOT);
        return e.startsWith("redis") ? new double[] {1, 2} : new double[] {4, 20};
    }

    /**
     * Ranks the servers for a new instance. {@code port} must be free on the server; {@code only}
     * (a DBA's pick) is ranked with the others so the proposal shows what the model would have done.
     */
    public Proposal propose(String instanceId, String engine, double memoryGb, double diskGb, String business, String cluster, String role,
                            int port) throws SQLException {
        PlacementRequest request = new PlacementRequest(instanceId, engine, memoryGb, diskGb, business, cluster, role);
        List<InventoryServer> servers = inventory.servers();
        Map<String, Inventory.ServerCapacity> capacity = inventory.capacities();
        Map<String, double[]> given = inventory.allocations();
        List<InventoryInstance> live = inventory.instances().stream()
                .filter(i -> !"decommissioned".equals(i.status()) && !i.id().equals(instanceId)).toList();
        Map<String, String> rackOf = new HashMap<>();
        servers.forEach(s -> rackOf.put(s.name(), s.rack()));
        List<ServerCandidate> candidates = new ArrayList<>();
        Map<String, String> address = new HashMap<>();
        List<Refusal> refused = new ArrayList<>();
        servers.forEach(s -> address.put(s.name(), s.address()));
        for (InventoryServer s : servers) {
            // servers sharing an address (logical servers of one machine) share its ports
            if (live.stream().anyMatch(i -> i.port() == port && (i.server().equals(s.name())
                    || (s.address() != null && s.address().equals(address.get(i.server())))))) {
                refused.add(new Refusal(s.name(), "port " + port + " taken"));
                continue;
            }
            Inventory.ServerCapacity cap = capacity.get(s.name());
            if (cap == null || cap.memTotalGb() == null || cap.diskTotalGb() == null) {
                refused.add(new Refusal(s.name(), "capacity unknown (set servers.mem_total_gb and disk_total_gb)"));
                continue;
            }
            double memUsed = 0;
            double diskUsed = 0;
            int n = 0;
            int sameBusiness = 0;
            int onHost = 0;
            int inRack = 0;
            for (InventoryInstance i : live) {
                boolean here = i.server().equals(s.name());
                if (cluster != null && cluster.equals(i.cluster()) && s.rack() != null && s.rack().equals(rackOf.get(i.server()))) {
                    inRack++;
                }
                if (!here) {
                    continue;
                }
                double[] d = defaults(i.engine().name());
                double[] g = given.getOrDefault(i.id(), d);
                memUsed += Double.isNaN(g[0]) ? d[0] : g[0];
                diskUsed += Double.isNaN(g[1]) ? d[1] : g[1];
                n++;
                if (business != null && business.equals(i.businessLine())) {
                    sameBusiness++;
                }
                if (cluster != null && cluster.equals(i.cluster())) {
                    onHost++;
                }
            }
            candidates.add(new ServerCandidate(s.name(), s.rack() == null ? "unknown" : s.rack(), s.dc() == null ? "unknown" : s.dc(), Double.NaN,
                    cap.memTotalGb(), round1(Math.max(0, cap.memTotalGb() - memUsed)), round1(Math.max(0, cap.diskTotalGb() - diskUsed)), Double.NaN,
                    n, sameBusiness, onHost, inRack, s.hardware() == null ? "unknown" : s.hardware(), s.maintenance()));
        }
        PlacementModel m = model();
        List<Option> ranked = new ArrayList<>();
        String method;
        String version = null;
        if (m != null) {
            PlacementModel.Ranking r = m.rank(request, candidates, rules, 5);
            for (PlacementModel.Ranked x : r.ranked()) {
                ranked.add(new Option(x.candidate(), address.get(x.candidate().server()), x.score(), x.reasons().stream().map(Object::toString).toList()));
            }
            r.refused().forEach(v -> refused.add(new Refusal(v.candidate().server(), String.join(", ", v.broken()))));
            version = m.version();
            method = "model " + version;
        } else {
            // the evaluation's baseline, so what runs without a model is what the model is measured against
            for (ServerCandidate c : PlacementEvaluation.mostFreeMemory(rules).order(request, candidates)) {
                ranked.add(new Option(c, address.get(c.server()), c.memFreeGb(), List.of(String.format(Locale.ROOT, "%.1f GB memory free", c.memFreeGb()))));
            }
            rules.verdicts(request, candidates).stream().filter(v -> !v.feasible())
                    .forEach(v -> refused.add(new Refusal(v.candidate().server(), String.join(", ", v.broken()))));
            method = "heuristic: most free memory" + (modelProblem != null ? " (" + modelProblem + ")" : " (no trained model)");
        }
        refused.sort(Comparator.comparing(Refusal::server));
        return new Proposal(request, candidates, ranked, refused, method, version);
    }

    /** Records a decision made on a proposal: {@code chosenBy} is model, heuristic or dba. */
    public void record(String requestId, Proposal p, String chosen, String chosenBy) throws SQLException {
        String proposed = p.ranked().isEmpty() ? null : p.ranked().get(0).candidate().server();
        history.record(new PlacementHistory.Row(requestId, p.request().id(), p.request().engine(), p.request().business(), chosen, chosenBy, proposed,
                p.modelVersion(), HistoryCodec.requestNode(p.request()).toString(), HistoryCodec.candidatesNode(p.candidates()).toString(), 0,
                Instant.now()));
    }

    /** The model file's model, re-read when the file changes; null when there is none or it cannot be used (the reason is kept). */
    synchronized PlacementModel model() {
        if (modelFile == null || !Files.isRegularFile(modelFile)) {
            model = null;
            modelProblem = null;
            modelStamp = Long.MIN_VALUE;
            return null;
        }
        try {
            long stamp = Files.getLastModifiedTime(modelFile).toMillis() ^ Files.size(modelFile);
            if (stamp != modelStamp) {
                modelStamp = stamp;
                try {
                    model = PlacementModel.load(modelFile);
                    modelProblem = null;
                    LOG.info("placement model {} loaded from {}", model.version(), modelFile);
                } catch (IOException e) {
                    model = null;
                    modelProblem = e.getMessage();
                    LOG.warn("placement model not used: {}", e.getMessage());
                }
            }
        } catch (IOException e) {
            return model;
        }
        return model;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
