package io.dbops.dashboard;

import io.dbops.actions.backup.BackupCatalog;
import io.dbops.actions.run.RunStore;
import io.dbops.dashboard.auth.Principal;
import io.dbops.dashboard.web.Input;
import io.dbops.dashboard.web.InvalidInput;
import io.dbops.events.ActionRequest;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The self-service forms, turned into requests for the action service: a new instance (engine,
 * size, business line, a new set or a replica of an existing primary, optionally a server from the
 * recommended list), a backup now, a restore into a new instance, a planned switchover. Every
 * field is checked here, on the server, with the user's business lines; a form can be submitted
 * once (its form id becomes the request id). Nothing is filed unless every field is right.
 */
public final class SelfService {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final Pattern FORM_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    public static final List<String> KINDS = List.of("new_instance", "backup", "restore", "switchover");
    private static final Map<String, String[]> SIZES = Map.of(
            "small", new String[] {"128M", "128mb"}, "medium", new String[] {"512M", "512mb"}, "large", new String[] {"1G", "1gb"});

    private final Inventory inventory;
    private final RunStore runs;
    private final BackupCatalog backups;
    private final Set<String> usedForms = ConcurrentHashMap.newKeySet();
    private volatile io.dbops.actions.playbooks.LivePlacement livePlacement;

    public SelfService(Inventory inventory, RunStore runs, BackupCatalog backups) {
        this.inventory = inventory;
        this.runs = runs;
        this.backups = backups;
    }

    /** What a form files: its request now, and the requests that wait for it (the replicas of a new set). */
    public record Filing(ActionRequest request, List<FollowUps.FollowUp> followUps) {
    }

    /** The checked request, ready to publish; throws {@link InvalidInput} naming every bad field. */
    public Filing request(Principal who, Input in) throws SQLException {
        String kind = in.choice("kind", true, KINDS);
        String formId = in.text("form_id", true, 64, FORM_ID, "the form's id (16-64 letters, digits, '-' or '_'): reload the form");
        String reason = in.text("reason", false, 500, null, null);
        if (formId != null && (usedForms.contains(formId) || runs.byDedupeKey("request:web-" + formId).isPresent())) {
            in.problem("form_id", "this form was submitted already; reload the page to make a new request");
        }
        in.check();
        Map<String, String> params = new LinkedHashMap<>();
        List<FollowUps.FollowUp> followUps = new java.util.ArrayList<>();
        String requestId = "web-" + formId;
        String playbook;
        String businessLine;
        InstanceRef target = null;
        String cluster = null;
        switch (kind) {
            case "new_instance" -> {
                String engine = in.choice("engine", true, List.of("mariadb", "redis"));
                String name = in.text("name", true, 64, NAME, "letters, digits, '.', '_' or '-' (at most 64)");
                String size = in.choice("size", true, List.of("small", "medium", "large"));
                Integer port = in.integer("port", true, 1024, 65535);
                businessLine = businessLine(who, in);
                String newCluster = in.text("cluster", false, 64, NAME, "letters, digits, '.', '_' or '-'");
                InventoryInstance primary = instanceField(who, in, "replica_of", false);
                String server = in.text("server", false, 128, NAME, "a server name from the recommended list");
                Integer replicas = in.integer("replicas", false, 0, 4);
                int n = replicas == null ? 0 : replicas;
                if (name != null && inventory.instance(name) != null) {
                    in.problem("name", "an instance named " + name + " exists already");
                }
                if (n > 0 && newCluster == null) {
                    in.problem(primaryField(in), "replicas belong to a new replication set: name it under cluster");
                }
                if (n > 0 && port != null && port + n > 65535) {
                    in.problem("port", "the replicas take the next " + n + " ports: at most " + (65535 - n));
                }
                for (int k = 1; k <= n && name != null; k++) {
                    if (inventory.instance(name + "-r" + k) != null) {
                        in.problem("name", "the replica name " + name + "-r" + k + " is taken");
                    }
                }
                if (primary != null && engine != null && !primary.engine().name().toLowerCase(Locale.ROOT).equals(engine)) {
                    in.problem("replica_of", primary.id() + " is a " + primary.engine().name().toLowerCase(Locale.ROOT) + " instance, not " + engine);
                }
                if (primary != null && newCluster != null) {
                    in.problem("cluster", "leave it empty for a replica: it joins " + primary.cluster());
                }
                if (primary != null && businessLine != null && !businessLine.equals(primary.businessLine())) {
                    in.problem("business_line", "a replica belongs to its primary's business line (" + primary.businessLine() + ")");
                }
                if (newCluster != null && inventory.cluster(newCluster).stream().findAny().isPresent()) {
                    in.problem("cluster", "cluster " + newCluster + " exists already; to add to it, choose its primary under replica_of");
                }
                if (server != null && port != null && in.ok("name")) {
                    List<Candidate> ranked = placement(engine, businessLine, size, primary == null ? newCluster : primary.cluster(),
                            primary != null, port, server, name);
                    if (ranked.isEmpty() || !ranked.get(0).feasible()) {
                        in.problem("server", ranked.isEmpty() ? "no server " + server : server + " cannot take it: " + ranked.get(0).reason());
                    }
                }
                in.check();
                playbook = engine + "_provision";
                params.put("instance", name);
                params.put("port", String.valueOf(port));
                params.put("business_line", businessLine);
                put(params, "cluster", newCluster);
                put(params, "replica_of", primary == null ? null : primary.id());
                put(params, "server", server);
                String sizeKey = engine.equals("mariadb") ? "buffer_pool" : "maxmemory";
                String sizeValue = SIZES.get(size)[engine.equals("mariadb") ? 0 : 1];
                params.put(sizeKey, sizeValue);
                params.put("memory_gb", String.valueOf(memoryGb(size)));
                cluster = primary != null ? primary.cluster() : newCluster;
                String seededAfter = requestId;
                if (n > 0 && engine.equals("mariadb")) {
                    // MariaDB replicas start from a physical backup of the new primary
                    seededAfter = requestId + "-b";
                    followUps.add(new FollowUps.FollowUp(requestId, new ActionRequest(ActionRequest.SCHEMA, Instant.now(), seededAfter, "backup",
                            who.name(), businessLine, null, cluster, null, "mariadb_backup", Map.of("instance", name, "kind", "physical"), false,
                            "seed for the replicas of " + name + " (requested by " + who.name() + ")")));
                }
                for (int k = 1; k <= n; k++) {
                    Map<String, String> rp = new LinkedHashMap<>();
                    rp.put("instance", name + "-r" + k);
                    rp.put("port", String.valueOf(port + k));
                    rp.put("business_line", businessLine);
                    rp.put("replica_of", name);
                    rp.put(sizeKey, sizeValue);
                    rp.put("memory_gb", String.valueOf(memoryGb(size)));
                    followUps.add(new FollowUps.FollowUp(seededAfter, new ActionRequest(ActionRequest.SCHEMA, Instant.now(), requestId + "-r" + k,
                            "provision", who.name(), businessLine, null, cluster, null, playbook, rp, false,
                            "replica " + k + " of " + n + " of " + name + " (requested by " + who.name() + ")")));
                }
            }
            case "backup" -> {
                InventoryInstance i = instanceField(who, in, "instance", true);
                String backupKind = in.choice("backup_kind", false, List.of("logical", "physical"));
                String retention = in.text("retention", false, 8, Pattern.compile("\\d{1,3}[hd]"), "a duration like 7d or 48h");
                if (i != null && i.engine() != Engine.MARIADB && i.engine() != Engine.REDIS) {
                    in.problem("instance", i.id() + " is " + i.engine().name().toLowerCase(Locale.ROOT) + ": backups cover MariaDB/MySQL and Redis");
                }
                if (i != null && i.engine() == Engine.REDIS && backupKind != null) {
                    in.problem("backup_kind", "Redis backups are RDB snapshots; leave it empty");
                }
                in.check();
                playbook = i.engine() == Engine.REDIS ? "redis_backup" : "mariadb_backup";
                params.put("instance", i.id());
                put(params, "kind", backupKind);
                put(params, "retention", retention);
                businessLine = i.businessLine();
                target = ref(i);
                cluster = i.cluster();
            }
            case "restore" -> {
                String backupId = in.text("backup", true, 64, NAME, "a backup id from the catalogue");
                String name = in.text("name", true, 64, NAME, "letters, digits, '.', '_' or '-' (at most 64)");
                Integer port = in.integer("port", true, 1024, 65535);
                BackupCatalog.Entry b = backupId == null ? null : backups.get(backupId).orElse(null);
                InventoryInstance source = b == null ? null : inventory.instance(b.instance());
                if (backupId != null && (b == null || b.deletedAt() != null || source == null || !who.canSee(source.businessLine()))) {
                    in.problem("backup", "no backup " + backupId + " you may restore");
                } else if (b != null && !b.engine().equalsIgnoreCase("mariadb") && !b.engine().equalsIgnoreCase("mysql")) {
                    in.problem("backup", backupId + " is a " + b.engine() + " backup; restores into a new instance are for MariaDB");
                }
                if (name != null && inventory.instance(name) != null) {
                    in.problem("name", "an instance named " + name + " exists already");
                }
                in.check();
                playbook = "mariadb_provision";
                params.put("instance", name);
                params.put("port", String.valueOf(port));
                params.put("business_line", source.businessLine());
                params.put("from_backup", b.id());
                businessLine = source.businessLine();
            }
            default -> {
                InventoryInstance cand = instanceField(who, in, "candidate", true);
                if (cand != null && (cand.engine() != Engine.MARIADB || !"replica".equals(cand.role()))) {
                    in.problem("candidate", cand.id() + " is not a MariaDB replica (" + cand.role() + ")");
                }
                in.check();
                playbook = "mariadb_switchover";
                params.put("candidate", cand.id());
                businessLine = cand.businessLine();
                target = ref(cand);
                cluster = cand.cluster();
            }
        }
        usedForms.add(formId);
        return new Filing(new ActionRequest(ActionRequest.SCHEMA, Instant.now(), requestId, kind.equals("new_instance") ? "provision" : kind,
                who.name(), businessLine, target, cluster, null, playbook, params, false, reason), followUps);
    }

    private static String primaryField(Input in) {
        return in.ok("cluster") ? "cluster" : "replicas";
    }

    /** Lets a form be used again when publishing its request failed. */
    public void release(String formId) {
        usedForms.remove(formId);
    }

    /** Server selection as the action service does it (hard rules, then the trained model or the heuristic). */
    public void usePlacement(io.dbops.actions.playbooks.LivePlacement placement) {
        this.livePlacement = placement;
    }

    /** One server on the new-instance form: selectable or not, and why. */
    public record Candidate(String server, String address, String rack, boolean feasible, long instances, boolean setMemberInRack,
                            String reason) {
    }

    /** Memory (GB) each form size asks for. */
    static int memoryGb(String size) {
        return "large".equals(size) ? 4 : "medium".equals(size) ? 2 : 1;
    }

    /**
     * The recommended servers for a new instance, best first, then the ones that cannot take it
     * with the reason: the same hard rules and ranking the provisioning playbook's
     * {@code select_server} step uses ({@code only}: just that server).
     */
    public List<Candidate> placement(String engine, String business, String size, String cluster, boolean replica, int port,
                                     String only, String newId) throws SQLException {
        io.dbops.actions.playbooks.LivePlacement live = livePlacement;
        if (live == null) {
            throw new IllegalStateException("server selection is not configured (DashboardMain sets it from placement.*)");
        }
        String role = replica ? "replica" : cluster == null ? "standalone" : "primary";
        String eng = engine == null ? "mariadb" : engine;
        double disk = io.dbops.actions.playbooks.LivePlacement.defaults(eng)[1];
        io.dbops.actions.playbooks.LivePlacement.Proposal p = live.propose(newId == null ? "new" : newId, eng, memoryGb(size), disk, business,
                cluster, role, port);
        List<Candidate> out = new java.util.ArrayList<>();
        for (io.dbops.actions.playbooks.LivePlacement.Option o : p.ranked()) {
            String why = (o.reasons().isEmpty() ? "" : String.join(", ", o.reasons()) + "; ") + String.format(Locale.ROOT,
                    "%.1f GB memory free, %d instances (%s)", o.candidate().memFreeGb(), o.candidate().instances(), p.method());
            out.add(new Candidate(o.candidate().server(), o.address(), o.candidate().rack(), true, o.candidate().instances(),
                    o.candidate().sameClusterInRack() > 0, why));
        }
        for (io.dbops.actions.playbooks.LivePlacement.Refusal r : p.refused()) {
            out.add(new Candidate(r.server(), null, null, false, 0, false, r.reason()));
        }
        return only == null ? out : out.stream().filter(c -> c.server().equals(only)).toList();
    }

    private String businessLine(Principal who, Input in) throws SQLException {
        String bl = in.text("business_line", true, 64, NAME, "a business line name");
        if (bl == null) {
            return null;
        }
        if (!who.canSee(bl)) {
            in.problem("business_line", "you may request only for your business lines (" + String.join(", ", who.businessLines()) + ")");
            return null;
        }
        if (!inventory.businessLines().contains(bl)) {
            in.problem("business_line", "no business line " + bl);
            return null;
        }
        return bl;
    }

    /** An instance the user may act on, named by {@code field}; unknown and invisible ones are the same error. */
    private InventoryInstance instanceField(Principal who, Input in, String field, boolean required) throws SQLException {
        String id = in.text(field, required, 128, NAME, "an instance id");
        if (id == null) {
            return null;
        }
        InventoryInstance i = inventory.instance(id);
        if (i == null || !who.canSee(i.businessLine()) || "decommissioned".equals(i.status())) {
            in.problem(field, "no instance " + id + " you may act on");
            return null;
        }
        return i;
    }

    private static InstanceRef ref(InventoryInstance i) {
        return new InstanceRef(i.id(), i.engine(), i.cluster(), i.server(), i.port(), i.businessLine());
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
