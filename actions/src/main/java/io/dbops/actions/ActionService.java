package io.dbops.actions;

import io.dbops.actions.policy.Guards;
import io.dbops.actions.policy.RemediationRules;
import io.dbops.actions.policy.RuleMatcher;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.Playbook;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunEngine;
import io.dbops.actions.run.RunEvents;
import io.dbops.actions.run.RunStore;
import io.dbops.events.ActionRequest;
import io.dbops.events.Alarm;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.RunState;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action service's decisions: incidents (with the alarms they are made of) and requests
 * become runs, through the remediation rules, the guards and the dedupe keys; workers execute the
 * runs with the {@link RunEngine}. Kafka plumbing is in {@link ActionServiceMain}: this class is
 * driven by plain calls, so tests can drive it the same way.
 */
public final class ActionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);
    private static final Duration ALARM_MEMORY = Duration.ofHours(6);

    private final RunStore store;
    private final RunEvents events;
    private final Map<String, Playbook> playbooks;
    private volatile RemediationRules rules;
    private final Inventory inventory;
    private final RunEngine engine;
    private final Map<String, Alarm> alarms = new ConcurrentHashMap<>();
    private volatile io.dbops.metadata.PlacementHistory placementOutcomes;
    private final Set<String> countedOutcomes = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 50_000;
                }
            }));
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();

    /** Replaces the remediation rules (an admin saved new ones); triggers from now on use them. */
    public void rules(RemediationRules replacement) {
        this.rules = replacement;
    }

    public RemediationRules rules() {
        return rules;
    }

    public ActionService(RunStore store, RunEvents events, Map<String, Playbook> playbooks, RemediationRules rules, Inventory inventory,
                         RunEngine engine) {
        this.store = store;
        this.events = events;
        this.playbooks = playbooks;
        this.rules = rules;
        this.inventory = inventory;
        this.engine = engine;
        engine.onTopologyChanged(run -> {
            try {
                store.setBlock(run.cluster(), run.playbook(), run.id(), this.rules.settings().flapBlock());
            } catch (SQLException e) {
                LOG.error("cannot set the anti-flap block of {}: {}", run.cluster(), e.getMessage());
            }
        });
    }

    /** Every playbook this build has, by name. */
    public static Map<String, Playbook> builtInPlaybooks() {
        Map<String, Playbook> m = new LinkedHashMap<>();
        for (Playbook p : List.of(new io.dbops.actions.playbooks.MariaDbFailover(), new io.dbops.actions.playbooks.MariaDbSwitchover(),
                new io.dbops.actions.playbooks.MariaDbRejoin(), new io.dbops.actions.playbooks.RedisFailover(),
                new io.dbops.actions.playbooks.KillQuery(), new io.dbops.actions.playbooks.PurgeBinlogs(),
                new io.dbops.actions.playbooks.MariaDbProvision(), new io.dbops.actions.playbooks.RedisProvision(),
                new io.dbops.actions.playbooks.MongoStepDown(), new io.dbops.actions.playbooks.Notify(),
                new io.dbops.actions.backup.MariaDbBackup(),
                new io.dbops.actions.backup.MariaDbBackupVerify(), new io.dbops.actions.backup.RedisBackup())) {
            m.put(p.name(), p);
        }
        return m;
    }

    /** Remembers an alarm so that incidents naming it can be matched on its type and instance. */
    public void onAlarm(Alarm a) {
        alarms.put(a.id(), a);
        if (alarms.size() > 200_000) {
            Instant horizon = Instant.now().minus(ALARM_MEMORY);
            alarms.values().removeIf(x -> x.time().isBefore(horizon));
        }
    }

    /**
     * Evaluates an open or updated incident; returns the runs it created (a redelivered incident,
     * or an update of one that already started its playbooks, creates none).
     */
    public List<Run> onIncident(Incident incident) throws SQLException, InterruptedException {
        if (incident.status() == IncidentStatus.RESOLVED) {
            return List.of();
        }
        countPlacementOutcome(incident);
        List<Alarm> members = members(incident);
        Map<String, String> roles = new java.util.HashMap<>();
        for (InventoryInstance i : inventory.instances()) {
            roles.put(i.id(), i.role());
        }
        List<Run> created = new ArrayList<>();
        List<String> decisions = new ArrayList<>();
        for (RuleMatcher.Trigger t : RuleMatcher.match(rules, incident, members, roles::get)) {
            RemediationRules.Rule rule = t.rule();
            String on = rule.name() + " on " + (t.target().cluster() != null ? t.target().cluster() : t.target().id());
            if (store.byDedupeKey(t.dedupeKey()).isPresent()) {
                decisions.add(on + ": started before");
                continue;
            }
            Playbook pb = playbooks.get(rule.playbook());
            boolean dryRun = rule.dryRun() || rule.policy() == RemediationRules.Policy.NOTIFY;
            Run.Spec spec = new Run.Spec(rule.playbook(), t.dedupeKey(), null, incident.id(), t.target().cluster(), t.target().id(),
                    t.target().businessLine(), "rule:" + rule.name(), rule.policy().name().toLowerCase(), dryRun, t.params());
            Outcome o = start(spec, pb, incident.id());
            if (o.run() != null) {
                created.add(o.run());
                decisions.add(on + ": run " + o.run().id());
            } else {
                decisions.add(on + ": " + (o.refusal() != null ? "refused (" + o.refusal() + ")" : "started before"));
            }
        }
        // what was decided for each incident event, so a missing run can be explained from the log
        LOG.info("incident {} ({} of {} alarms seen): {}", incident.id(), members.size(), incident.alarmIds().size(),
                decisions.isEmpty() ? "no rule matches" : String.join("; ", decisions));
        return created;
    }

    /** Where incidents are counted against the placement decisions of the instances they touch (null: not counted). */
    public void placementOutcomes(io.dbops.metadata.PlacementHistory history) {
        this.placementOutcomes = history;
    }

    /** Each (incident, instance) pair counts once, however often the incident is updated or redelivered. */
    private void countPlacementOutcome(Incident incident) {
        io.dbops.metadata.PlacementHistory history = placementOutcomes;
        if (history == null || incident.instances() == null) {
            return;
        }
        for (io.dbops.events.InstanceRef ref : incident.instances()) {
            if (ref == null || ref.id() == null || !countedOutcomes.add(incident.id() + "|" + ref.id())) {
                continue;
            }
            try {
                history.countIncident(ref.id(), incident.time());
            } catch (SQLException e) {
                LOG.warn("incident {} not counted against the placement of {}: {}", incident.id(), ref.id(), e.getMessage());
            }
        }
    }

    /**
     * The incident's member alarms this service has seen. The merge job read them committed before it committed the
     * incident, so a member not seen yet is still on its way through this service's own alarm reader (behind after a
     * broker or a restart): wait until the reader has caught up with everything committed when the incident came (at most
     * {@link #MEMBER_WAIT_MS}); without a reader reporting progress, briefly. Members still missing then are named in a
     * warning, and the incident is evaluated on the ones found.
     */
    private List<Alarm> members(Incident incident) throws InterruptedException {
        long received = System.currentTimeMillis();
        boolean reader = alarmReader;
        long deadline = received + (reader ? MEMBER_WAIT_MS : 3000);
        while (true) {
            List<Alarm> found = new ArrayList<>();
            for (String id : incident.alarmIds()) {
                Alarm a = alarms.get(id);
                if (a != null) {
                    found.add(a);
                }
            }
            if (found.size() == incident.alarmIds().size()) {
                return found;
            }
            // read up to a moment after the incident came: whatever was committed before it has been read
            boolean caughtUp = reader && alarmsReadUpTo > received;
            if (caughtUp || System.currentTimeMillis() > deadline) {
                List<String> missing = new ArrayList<>(incident.alarmIds());
                found.forEach(a -> missing.remove(a.id()));
                LOG.warn("incident {}: {} of its {} alarms not seen ({}{}) after {} ms; evaluated on the {} found", incident.id(),
                        missing.size(), incident.alarmIds().size(), String.join(", ", missing.subList(0, Math.min(5, missing.size()))),
                        missing.size() > 5 ? ", ..." : "", System.currentTimeMillis() - received, found.size());
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** Longest wait for an incident's member alarms while the alarm reader catches up. */
    static final long MEMBER_WAIT_MS = 60_000;

    /** Whether an alarm reader feeds {@link #onAlarm} (and reports its progress): incidents then wait for it. */
    private volatile boolean alarmReader;
    /** The moment as of which the alarm reader last had read everything committed (0: not yet, e.g. just started). */
    private volatile long alarmsReadUpTo;

    /** Says whether a reader of {@code dbops.alarms} feeds this service and reports its progress with {@link #alarmsReadUpTo}. */
    public void alarmReader(boolean present) {
        alarmReader = present;
        alarmsReadUpTo = 0;
    }

    /** Called by the alarm reader: it has read everything committed on the alarm topic as of {@code asOf}. */
    public void alarmsReadUpTo(long asOf) {
        alarmsReadUpTo = asOf;
    }

    /**
     * A request from the dashboard, the API or the CLI. A bad one (unknown playbook, bad or
     * missing parameters, a target not in the inventory) is recorded as a failed run naming every
     * problem, and nothing is executed.
     */
    public Run onRequest(ActionRequest r) throws SQLException {
        String dedupe = "request:" + r.id();
        Optional<Run> existing = store.byDedupeKey(dedupe);
        if (existing.isPresent()) {
            return existing.get();
        }
        String name = r.playbook() != null ? r.playbook() : r.kind();
        Playbook pb = name == null ? null : playbooks.get(name);
        List<String> problems = new ArrayList<>();
        Map<String, String> params = r.parameters() == null ? Map.of() : r.parameters();
        Set<String> known = new HashSet<>();
        for (InventoryInstance i : inventory.instances()) {
            known.add(i.id());
        }
        if (pb == null) {
            problems.add("playbook: unknown playbook '" + name + "' (known: " + String.join(", ", playbooks.keySet()) + ")");
        } else {
            problems.addAll(Param.problems(pb.params(), params, known));
        }
        if (r.target() != null && !known.contains(r.target().id())) {
            problems.add("target: instance " + r.target().id() + " is not in the inventory");
        }
        String target = r.target() != null ? r.target().id() : firstInstance(pb, params, known);
        String cluster = r.cluster();
        if (cluster == null && target != null) {
            InventoryInstance ti = inventory.instance(target);
            cluster = ti == null ? null : ti.cluster();
        }
        // requests from people run once a DBA approved them; a DBA's own request and dry runs run at once
        boolean preApproved = r.dryRun() || store.role(r.requestedBy()).map(x -> x.equals("dba") || x.equals("admin")).orElse(false);
        Run.Spec spec = new Run.Spec(name == null ? "?" : name, dedupe, r.id(), r.incidentId(), cluster, target, r.businessLine(),
                r.requestedBy(), preApproved ? "auto" : "approval", r.dryRun(), params);
        if (!problems.isEmpty()) {
            String msg = "request rejected, nothing executed: " + String.join("; ", problems);
            store.refusal(name, cluster, r.id(), msg);
            return ended(spec, RunState.FAILED, msg);
        }
        Outcome o = start(spec, pb, r.id());
        if (o.refusal() != null) {
            // the requester sees the refusal on the run they asked for
            return ended(spec, RunState.BLOCKED, o.refusal());
        }
        return o.run() != null ? o.run() : store.byDedupeKey(dedupe).orElseThrow();
    }

    /** Records a request that ends before it starts (rejected or refused), with the reason, so the requester sees it. */
    private Run ended(Run.Spec spec, RunState state, String message) throws SQLException {
        RunStore.Created c = store.create(spec, state);
        if (!c.created()) {
            return c.run();
        }
        store.setState(c.run().id(), state, message);
        events.run(c.run(), state, message);
        return store.run(c.run().id()).orElseThrow();
    }

    private static String firstInstance(Playbook pb, Map<String, String> params, Set<String> known) {
        if (pb == null) {
            return null;
        }
        if (params.get("instance") != null) {
            return params.get("instance"); // what the run is about, even one it is about to create
        }
        for (Param p : pb.params()) {
            if (p.type() == Param.Type.INSTANCE && known.contains(params.get(p.name()))) {
                return params.get(p.name());
            }
        }
        return null;
    }

    /** What {@link #start} did: the run it created (null when none: refused, or created before), or the guards' refusal. */
    private record Outcome(Run run, String refusal) {
    }

    /** Passes the guards and creates the run (pending, or awaiting approval); a refusal is recorded. */
    private Outcome start(Run.Spec spec, Playbook pb, String triggerId) throws SQLException {
        Guards.State state = new Guards.State(
                store.getSwitch("kill_switch").filter(e -> e.getKey().equals("on")).map(Map.Entry::getValue),
                store.maintenance(spec.target(), spec.cluster(), spec.businessLine()),
                spec.cluster() == null ? Optional.empty() : store.block(spec.cluster()),
                store.countSince(spec.playbook(), spec.cluster(), Instant.now().minus(rules.settings().rateLimitPer())));
        String refusal = Guards.refusal(spec.playbook(), spec.cluster(), pb.changesTopology(), spec.dryRun(), rules.settings(), state);
        if (refusal != null) {
            store.refusal(spec.playbook(), spec.cluster(), triggerId, refusal);
            LOG.warn("{} for {}: {}", spec.playbook(), triggerId, refusal);
            return new Outcome(null, refusal);
        }
        RunState initial = spec.policy().equals("approval") && !spec.dryRun() ? RunState.AWAITING_APPROVAL : RunState.PENDING;
        RunStore.Created c = store.create(spec, initial);
        if (!c.created()) {
            return new Outcome(null, null);
        }
        events.run(c.run(), initial, initial == RunState.AWAITING_APPROVAL
                ? "waiting for a DBA's approval: ./dbops runs approve " + c.run().id()
                : (spec.dryRun() ? "dry run queued" : "queued") + " by " + spec.requestedBy());
        wake.release();
        return new Outcome(c.run(), null);
    }

    /** Approves a run for {@code user}, who must be a dba or an admin; returns the refusal or null. */
    public static String approve(RunStore store, String runId, String user) throws SQLException {
        Optional<String> role = store.role(user);
        if (role.isEmpty() || !(role.get().equals("dba") || role.get().equals("admin"))) {
            String why = "approval refused: " + user + " is " + role.map(r -> "a " + r).orElse("not a known user") + "; only a dba or an admin approves";
            store.refusal(null, null, runId, why);
            return why;
        }
        Optional<Run> run = store.run(runId);
        if (run.isEmpty()) {
            return "no run " + runId;
        }
        if (!store.approve(runId, user)) {
            return "run " + runId + " is " + run.get().state().name().toLowerCase() + ", not waiting for approval";
        }
        return null;
    }

    /**
     * Starts backups that fell due in (from, to] on the schedules; returns the runs created. A
     * firing already started (the same dedupe key) is not started again.
     */
    public List<Run> startDueBackups(io.dbops.actions.backup.BackupCatalog catalog, Instant from, Instant to) throws SQLException {
        List<Run> created = new ArrayList<>();
        for (var due : io.dbops.actions.backup.BackupScheduler.due(catalog.schedules(), inventory.instances(), from, to)) {
            if (store.byDedupeKey(due.dedupeKey()).isPresent()) {
                continue;
            }
            String scheduleId = due.dedupeKey().split(":")[1];
            Run.Spec spec = new Run.Spec(due.playbook(), due.dedupeKey(), null, null, due.target().cluster(), due.target().id(),
                    due.target().businessLine(), "schedule:" + scheduleId, "auto", false, due.params());
            Outcome o = start(spec, playbooks.get(due.playbook()), due.dedupeKey());
            if (o.run() != null) {
                created.add(o.run());
            }
        }
        return created;
    }

    /** Checks the backup schedules every {@code tick}, catching up on firings of the last two minutes after a restart. */
    public void startScheduler(io.dbops.actions.backup.BackupCatalog catalog, Duration tick) {
        Thread t = new Thread(() -> {
            Instant last = Instant.now().minus(Duration.ofMinutes(2));
            while (!stopping.get()) {
                Instant now = Instant.now();
                try {
                    startDueBackups(catalog, last, now);
                    last = now;
                } catch (Exception e) {
                    LOG.error("backup scheduler: {}", e.toString());
                }
                try {
                    Thread.sleep(tick.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "backup-scheduler");
        t.setDaemon(true);
        t.start();
        workers.add(t);
    }

    /** Starts {@code n} worker threads that execute runs until {@link #close}. */
    public void startWorkers(int n, Duration idlePoll) {
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                while (!stopping.get()) {
                    try {
                        if (!engine.runOne()) {
                            wake.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        LOG.error("worker: {}", e.toString());
                        try {
                            Thread.sleep(idlePoll.toMillis());
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "action-worker-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        engine.close();
    }
}
