package io.dbops.flinkjobs.merge;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import io.dbops.mlmodels.merge.AlarmDistance;
import io.dbops.mlmodels.merge.AlarmPoint;
import io.dbops.mlmodels.merge.IncidentSummary;
import io.dbops.mlmodels.merge.IncrementalClusterer;
import io.dbops.mlmodels.merge.Location;
import io.dbops.mlmodels.merge.Topology;
import io.dbops.mlmodels.merge.TypeAffinity;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Merges the alarms of one key (a dc) into incidents with the streaming clusterer and publishes
 * their lifecycle: {@code open} once the group wait has passed since the first alarm's event time (at once when
 * an alarm is critical, so automation never waits for grouping), {@code update} at most once per
 * group interval while alarms join (at once, at most once a second, when a critical alarm joins) or two incidents merge (the absorbed one is {@code resolved} with a {@code merged_into} label), and
 * {@code resolved} when every member alarm resolved and stayed quiet for the quiet period. An
 * incident whose alarms all resolve before its group wait ends is never announced (noise). Type
 * affinity is learned from every incident that resolves.
 *
 * <p>State clean-up: an incident leaves the state when it resolves; the clusterer drops clusters
 * quiet for its horizon; when a key has no incident and no open cluster its state is cleared, and
 * its timers have all fired. Alarms are identified per occurrence ({@code id#startsAt}): a
 * re-firing alarm series after it resolved is a new occurrence.
 */
public final class MergeOperator extends KeyedProcessFunction<String, RoutedAlarm, Incident>
        implements org.apache.flink.streaming.api.checkpoint.CheckpointedFunction {
    /** The shortest time between two updates published at once for critical alarms. */
    static final long URGENT_INTERVAL_MS = 1000;

    /** Group wait, group interval, quiet period before resolving, clusterer settings, distance time scales, past incidents' types. */
    public record Settings(long groupWaitMs, long groupIntervalMs, long quietMs, IncrementalClusterer.Settings clusterer,
                           AlarmDistance.Scales scales, List<List<String>> history) implements Serializable {
        public static Settings defaults() {
            return new Settings(10_000, 5_000, 300_000, IncrementalClusterer.Settings.DEFAULT, AlarmDistance.Scales.DEFAULT, List.of());
        }
    }

    static final ValueStateDescriptor<MergeState> STATE = new ValueStateDescriptor<>("merge", TypeInformation.of(MergeState.class));

    private final TopologySource topology;
    private final Settings settings;
    private transient ValueState<MergeState> state;
    private transient TypeAffinity affinity;
    private transient org.apache.flink.api.common.state.ListState<TypeAffinity> learned;
    private transient Topology distanceFor;
    private transient AlarmDistance distance;
    /** Types of incidents learned since the distance's memoized type distances were last refreshed, and when that was. */
    private transient java.util.Set<String> learnedTypes;
    private transient long refreshedAt;

    /**
     * How often the memoized type distances catch up with what the affinity learned: a storm resolves
     * incidents every second, and recomputing the distances of the commonest types after each would
     * cost more than the clustering; an affinity ten seconds old merges just as well.
     */
    static final long AFFINITY_REFRESH_MS = 10_000;

    public MergeOperator(TopologySource topology, Settings settings) {
        this.topology = topology;
        this.settings = settings;
    }

    /** What the type affinity learned from resolved incidents survives restarts in operator state. */
    @Override
    public void initializeState(org.apache.flink.runtime.state.FunctionInitializationContext context) throws Exception {
        learned = context.getOperatorStateStore().getListState(new org.apache.flink.api.common.state.ListStateDescriptor<>(
                "type-affinity", TypeInformation.of(TypeAffinity.class)));
        affinity = TypeAffinity.withPrior();
        if (context.isRestored()) {
            // the snapshot holds the history it started from as well
            for (TypeAffinity t : learned.get()) {
                affinity.absorb(t);
            }
        } else {
            affinity.learnAll(settings.history());
        }
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext context) throws Exception {
        learned.update(List.of(affinity));
    }

    /** The learned type affinity (tests). */
    TypeAffinity affinity() {
        return affinity;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(STATE);
        learnedTypes = new java.util.HashSet<>();
        topology.start();
        if (affinity == null) {
            affinity = TypeAffinity.withPrior();
            affinity.learnAll(settings.history());
        }
    }

    @Override
    public void close() {
        topology.stop();
    }

    private AlarmDistance distance() {
        Topology t = topology.current();
        if (t != distanceFor) {
            distance = new AlarmDistance(t, affinity, settings.scales());
            distanceFor = t;
        }
        return distance;
    }

    /** {@link #distance()}, its memoized type distances refreshed if the affinity learned something long enough ago. */
    private AlarmDistance distance(long now) {
        AlarmDistance d = distance();
        if (!learnedTypes.isEmpty() && now - refreshedAt >= AFFINITY_REFRESH_MS) {
            d.forgetTypes(learnedTypes);
            learnedTypes.clear();
            refreshedAt = now;
        }
        return d;
    }

    static String occurrence(Alarm a) {
        return a.id() + "#" + a.startsAt().toEpochMilli();
    }

    static int severity(Severity s) {
        return s == Severity.CRITICAL ? 2 : s == Severity.INFO ? 0 : 1;
    }

    Location locate(Alarm a) {
        return topology.current().locate(a.instance() == null ? null : a.instance().id(), a.instance() == null ? a.host()
                : a.instance().host());
    }

    @Override
    public void processElement(RoutedAlarm routed, Context ctx, Collector<Incident> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        MergeState st = state.value();
        if (st == null) {
            st = new MergeState();
            st.clusterer = new IncrementalClusterer(distance(now), settings.clusterer()).forgetClosed();
        }
        st.clusterer.use(distance(now), settings.clusterer());
        Alarm a = routed.alarm();
        String occ = occurrence(a);
        if (a.status() == AlarmStatus.FIRING) {
            if (st.firingIncident.containsKey(occ)) {
                return; // the same alarm again, even one whose cluster already left the working set
            }
            // types interned: the distance reuses its last answer for the same type string
            IncrementalClusterer.Placement pl = st.clusterer.add(new AlarmPoint(occ, a.startsAt().toEpochMilli(), a.type().intern(),
                    severity(a.severity()), locate(a)));
            if (pl.duplicate()) {
                state.update(st);
                return;
            }
            String id = "inc-" + pl.clusterId();
            MergeState.IncidentInfo info = st.incidents.computeIfAbsent(id, k -> new MergeState.IncidentInfo());
            info.alarms.put(occ, a);
            info.firing.add(occ);
            st.firingIncident.put(occ, id);
            info.resolveAt = Long.MIN_VALUE;
            boolean absorbedAnnounced = false;
            for (String merged : pl.merged()) {
                MergeState.IncidentInfo gone = st.incidents.remove("inc-" + merged);
                if (gone == null) {
                    continue;
                }
                info.alarms.putAll(gone.alarms);
                info.firing.addAll(gone.firing);
                for (String firing : gone.firing) {
                    st.firingIncident.put(firing, id);
                }
                if (gone.announced) {
                    absorbedAnnounced = true;
                    Map<String, String> labels = Map.of("merged_into", id);
                    out.collect(incident("inc-" + merged, gone, IncidentStatus.RESOLVED, now, labels));
                }
            }
            if (info.announced && a.severity() == Severity.CRITICAL) {
                // a critical alarm joining an open incident (a primary dying in a storm already announced) must
                // reach automation now: published at once, at most once a second (a critical storm is one update a second)
                if (info.lastUrgentAt == Long.MIN_VALUE || now - info.lastUrgentAt >= URGENT_INTERVAL_MS) {
                    info.lastUrgentAt = now;
                    info.updateAt = Long.MIN_VALUE;
                    out.collect(incident(id, info, IncidentStatus.UPDATE, now, null));
                } else if (info.updateAt == Long.MIN_VALUE || info.updateAt > info.lastUrgentAt + URGENT_INTERVAL_MS) {
                    info.updateAt = info.lastUrgentAt + URGENT_INTERVAL_MS;
                    schedule(ctx, st, id, info.updateAt);
                }
            } else if (info.announced) {
                // changes are gathered and published once per group interval: a storm of 500 alarms is a few updates, not 500
                if (info.updateAt == Long.MIN_VALUE) {
                    info.updateAt = now + settings.groupIntervalMs();
                    schedule(ctx, st, id, info.updateAt);
                }
            } else if (a.severity() == Severity.CRITICAL || absorbedAnnounced) {
                announce(id, info, now, out);
            } else if (info.announceAt == Long.MIN_VALUE || (info.announceAt <= now && a.severity() != Severity.INFO)) {
                // (a group of context alarms only, such as DDL, waited unannounced: an alarm that matters starts its wait)
                info.announceAt = now + remainingWait(a.startsAt().toEpochMilli(), now);
                schedule(ctx, st, id, info.announceAt);
            }
        } else {
            String incident = st.firingIncident.remove(occ);
            MergeState.IncidentInfo info = incident == null ? null : st.incidents.get(incident);
            if (info != null && info.firing.remove(occ) && info.firing.isEmpty()) {
                info.resolveAt = now + settings.quietMs();
                schedule(ctx, st, incident, info.resolveAt);
            }
        }
        state.update(st);
    }

    /**
     * What is left of the group wait, counted from the alarm's own event time: the alarm spent part
     * of it on its way here (collector, rules, Kafka), so the incident opens the group wait after the
     * alarm began, not after it arrived. Within [0, group wait]: a clock ahead of ours waits the
     * whole wait, and an alarm older than the wait (a backlog read after an outage) opens at once.
     */
    long remainingWait(long eventTime, long now) {
        return Math.max(0, Math.min(settings.groupWaitMs(), eventTime + settings.groupWaitMs() - now));
    }

    private static void schedule(Context ctx, MergeState st, String incident, long at) {
        st.due(incident, at);
        ctx.timerService().registerProcessingTimeTimer(at);
    }

    /**
     * Whether a group is worth an incident: some firing member above info severity. Info alarms (a
     * DDL statement, say) are context: they join the incident of the alarms that follow, never open one.
     */
    static boolean actionable(MergeState.IncidentInfo info) {
        for (String occ : info.firing) {
            Alarm a = info.alarms.get(occ);
            if (a != null && a.severity() != Severity.INFO) {
                return true;
            }
        }
        return false;
    }

    private void announce(String id, MergeState.IncidentInfo info, long now, Collector<Incident> out) {
        info.announced = true;
        info.updateAt = Long.MIN_VALUE;
        info.lastUrgentAt = now;
        info.openedAt = now;
        out.collect(incident(id, info, IncidentStatus.OPEN, now, null));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        MergeState st = state.value();
        if (st == null) {
            return;
        }
        st.clusterer.use(distance());
        for (String id : st.takeDue(timestamp)) {
            MergeState.IncidentInfo info = st.incidents.get(id);
            if (info == null) {
                continue; // merged into another, or resolved
            }
            boolean quietlyResolved = info.firing.isEmpty() && info.resolveAt != Long.MIN_VALUE && info.resolveAt <= timestamp;
            if (!info.announced && info.announceAt != Long.MIN_VALUE && info.announceAt <= timestamp && actionable(info)) {
                announce(id, info, timestamp, out);
            } else if (info.announced && info.updateAt != Long.MIN_VALUE && info.updateAt <= timestamp && !quietlyResolved) {
                info.updateAt = Long.MIN_VALUE;
                out.collect(incident(id, info, IncidentStatus.UPDATE, timestamp, null));
            }
            if (quietlyResolved || (!info.announced && info.firing.isEmpty() && info.announceAt <= timestamp)) {
                if (info.announced) {
                    out.collect(incident(id, info, IncidentStatus.RESOLVED, timestamp, null));
                    List<String> types = new ArrayList<>();
                    info.alarms.values().forEach(al -> types.add(al.type()));
                    affinity.learn(types);
                    learnedTypes.addAll(types);
                }
                st.clusterer.close(id.substring("inc-".length()));
                st.incidents.remove(id);
            }
        }
        if (st.incidents.isEmpty() && st.clusterer.workingSet() == 0) {
            state.clear();
        } else {
            state.update(st);
        }
    }

    private Incident incident(String id, MergeState.IncidentInfo info, IncidentStatus status, long now, Map<String, String> extra) {
        List<AlarmPoint> points = new ArrayList<>();
        Map<String, InstanceRef> instances = new LinkedHashMap<>();
        TreeSet<String> unknown = new TreeSet<>();
        for (Map.Entry<String, Alarm> e : info.alarms.entrySet()) {
            Alarm a = e.getValue();
            Location where = locate(a);
            if (!where.known()) {
                unknown.add(a.instance() != null ? a.instance().id() : "host " + a.host());
            }
            points.add(new AlarmPoint(e.getKey(), a.startsAt().toEpochMilli(), a.type(), severity(a.severity()), where));
            if (a.instance() != null) {
                instances.putIfAbsent(a.instance().id(), a.instance());
            }
        }
        IncidentSummary s = IncidentSummary.of(points);
        Alarm root = info.alarms.get(s.rootCause().id());
        TreeSet<String> hosts = new TreeSet<>(s.hosts());
        TreeSet<String> business = new TreeSet<>(s.businessLines());
        for (Alarm a : info.alarms.values()) {
            if (a.host() != null) {
                hosts.add(a.host());
            }
            if (a.instance() != null && a.instance().businessLine() != null) {
                business.add(a.instance().businessLine());
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("threshold", Double.toString(settings.clusterer().threshold()));
        if (!unknown.isEmpty()) {
            // kept and grouped by what the alarm itself says, but the inventory should know them
            labels.put("not_in_topology", String.join(",", unknown));
        }
        if (extra != null) {
            labels.putAll(extra);
        }
        Severity severity = s.severity() >= 2 ? Severity.CRITICAL : s.severity() == 1 ? Severity.WARNING : Severity.INFO;
        return new Incident(Incident.SCHEMA, Instant.ofEpochMilli(now), id, status, root.type(), s.title(), severity, root.id(),
                info.alarms.values().stream().map(Alarm::id).distinct().sorted().toList(), List.copyOf(instances.values()),
                List.copyOf(hosts), List.copyOf(business), labels, Instant.ofEpochMilli(info.announced ? info.openedAt : now),
                status == IncidentStatus.RESOLVED ? Instant.ofEpochMilli(now) : null);
    }
}
