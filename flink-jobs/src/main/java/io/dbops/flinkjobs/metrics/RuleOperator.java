package io.dbops.flinkjobs.metrics;

import io.dbops.events.Alarm;
import io.dbops.events.DeadLetter;
import io.dbops.events.MetricSample;
import io.dbops.flinkjobs.kafka.RawRecord;
import io.dbops.flinkjobs.rules.CompiledRules;
import io.dbops.flinkjobs.rules.InstanceState;
import io.dbops.flinkjobs.rules.RuleEngine;
import io.dbops.flinkjobs.rules.RulePack;
import io.dbops.flinkjobs.timeseries.LineProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The rule engine as a Flink operator, keyed by instance id: one {@link InstanceState} per instance
 * and at most one processing-time timer (the earliest absence deadline). Rule packs arrive on the
 * broadcast side ({@code dbops.rules}), override the packs the job started with by name, and apply
 * to the next sample without a restart; alarms of rules that disappear are resolved at once for
 * every instance.
 *
 * <p>State clean-up: a sample of measurement {@code inventory} with {@code removed = 1} (the
 * collector sends it when an instance leaves the inventory) resolves the instance's alarms and
 * clears its state and its timer, so nothing of a removed instance stays behind.
 */
public final class RuleOperator extends KeyedBroadcastProcessFunction<String, RawRecord, RulePackText, Alarm> {
    public static final MapStateDescriptor<String, String> PACKS = new MapStateDescriptor<>("rule-packs", Types.STRING, Types.STRING);
    /**
     * Every valid sample and the rates of its counters (measurement {@code NAME_rate}), as lines for the time-series store
     * ({@link io.dbops.flinkjobs.timeseries.LineProtocol}). One side output, so the store's writer has one input and is
     * chained to this operator: a sample carries hundreds of fields, and with two outputs (a union) each was serialized to a
     * separate task, which cost more than the rules themselves. Lines, not samples: a sample's line is written as it is read
     * ({@link SampleReader}), from the numbers' own text.
     */
    public static final OutputTag<String> SAMPLES = new OutputTag<>("samples") { };
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("rule-dead-letters") { };
    static final ValueStateDescriptor<InstanceState> STATE = new ValueStateDescriptor<>("instance", io.dbops.flinkjobs.rules.InstanceStateSerializer.INSTANCE);
    static final ValueStateDescriptor<Long> TIMER = new ValueStateDescriptor<>("absence-timer", Types.LONG);
    /** Empty YAML in the broadcast state marks a pack removed (it may be one the job started with). */
    private static final String REMOVED = "";

    private final Map<String, String> initialPacks;
    private transient ValueState<InstanceState> state;
    private transient ValueState<Long> timer;
    private transient Map<String, String> parsedFrom;
    private transient Map<String, RulePack> parsed;
    private transient List<String> lastBroadcast;
    private transient CompiledRules lastPacks;
    private transient Counter outOfOrder;
    private transient Counter rejected;
    private transient SampleReader reader;

    /** {@code initialPacks}: name → YAML, already validated by the caller; {@code lines}: write {@link #SAMPLES} (a store is configured). */
    public RuleOperator(Map<String, String> initialPacks, boolean lines) {
        this.initialPacks = new LinkedHashMap<>(initialPacks);
        this.lines = lines;
    }

    private final boolean lines;

    /**
     * When this instance of the operator started (after a restore too), on the timers' clock, taken at its first element or
     * timer: absence is counted from here at the earliest.
     */
    private transient long watchingSince;
    /**
     * The newest sample time this instance of the operator has read on each Kafka partition, of any instance: how far each
     * partition has come. An instance's samples all arrive on one partition, in order; under backpressure partitions are read
     * unevenly, so only its own partition's progress says that others were heard from while it was not.
     */
    private transient Map<Integer, Long> partitionTime;

    @Override
    public void open(OpenContext context) {
        watchingSince = Long.MIN_VALUE;
        partitionTime = new java.util.HashMap<>();
        reader = new SampleReader(lines);
        state = getRuntimeContext().getState(STATE);
        timer = getRuntimeContext().getState(TIMER);
        parsedFrom = new LinkedHashMap<>();
        parsed = new LinkedHashMap<>();
        outOfOrder = getRuntimeContext().getMetricGroup().counter("samplesOutOfOrder");
        rejected = getRuntimeContext().getMetricGroup().counter("samplesRejected");
    }

    /** The packs in force: the initial ones, overridden or removed by name by the broadcast ones. */
    private CompiledRules packs(Iterable<Map.Entry<String, String>> broadcast) {
        // most calls see the same broadcast texts as the last one: compare references, rebuild only on a change
        int n = 0;
        boolean same = lastPacks != null;
        for (Map.Entry<String, String> e : broadcast) {
            same = same && n < lastBroadcast.size() && lastBroadcast.get(n) == e.getValue();
            n++;
        }
        if (same && n == lastBroadcast.size()) {
            return lastPacks;
        }
        lastBroadcast = new ArrayList<>();
        for (Map.Entry<String, String> e : broadcast) {
            lastBroadcast.add(e.getValue());
        }
        lastPacks = new CompiledRules(rebuild(broadcast));
        return lastPacks;
    }

    private List<RulePack> rebuild(Iterable<Map.Entry<String, String>> broadcast) {
        Map<String, String> texts = new LinkedHashMap<>(initialPacks);
        for (Map.Entry<String, String> e : broadcast) {
            texts.put(e.getKey(), e.getValue());
        }
        List<RulePack> out = new ArrayList<>(texts.size());
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (e.getValue().equals(REMOVED)) {
                continue;
            }
            // parse once per version of a pack, not per sample
            if (parsedFrom.get(e.getKey()) != e.getValue()) {
                parsed.put(e.getKey(), RulePack.parse(e.getKey(), e.getValue()));
                parsedFrom.put(e.getKey(), e.getValue());
            }
            out.add(parsed.get(e.getKey()));
        }
        return out;
    }

    @Override
    public void processElement(RawRecord record, ReadOnlyContext ctx, Collector<Alarm> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        CompiledRules packs = packs(ctx.getBroadcastState(PACKS).immutableEntries());
        SampleReader.Read read = reader.read(record, now, packs);
        if (read.deadLetter() != null) {
            rejected.inc();
            ctx.output(DEAD_LETTERS, read.deadLetter());
            return;
        }
        MetricSample s = read.sample();
        InstanceState st = state.value();
        if (s.measurement().equals("inventory") && Double.valueOf(1).equals(s.fields().get("removed"))) {
            if (st != null) {
                RuleEngine.remove(st, now).forEach(out::collect);
            }
            state.clear();
            Long t = timer.value();
            if (t != null) {
                ctx.timerService().deleteProcessingTimeTimer(t);
            }
            timer.clear();
            return;
        }
        partitionTime.merge(record.partition(), s.time().toEpochMilli(), Math::max);
        if (st == null) {
            st = new InstanceState();
        }
        st.partition(record.partition());
        RuleEngine.Outcome o = RuleEngine.onSample(st, s, packs, now);
        if (o.rejected() != null) {
            rejected.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.ofEpochMilli(now), "flink-jobs/metrics", record.topic(),
                    record.partition(), record.offset(), s.instance().id(), "metric sample: " + o.rejected(), record.value()));
            return;
        }
        // what the rules refused (a negative counter) is a dead letter only, not a point in the store
        if (read.line() != null) {
            ctx.output(SAMPLES, read.line());
        }
        if (o.outOfOrder()) {
            outOfOrder.inc();
        }
        o.alarms().forEach(out::collect);
        if (lines && o.rates() != null) {
            String rates = LineProtocol.metric(o.rates());
            if (rates != null) {
                ctx.output(SAMPLES, rates);
            }
        }
        state.update(st);
        schedule(st, packs, ctx.timerService(), now);
    }

    private long watching(org.apache.flink.streaming.api.TimerService timers) {
        if (watchingSince == Long.MIN_VALUE) {
            watchingSince = timers.currentProcessingTime();
        }
        return watchingSince;
    }

    /**
     * Sets the key's one timer to its next absence deadline; one that passed unanswered (the stream did not move on) is looked
     * at again later. A timer set earlier than the deadline is left as it is: it fires early, finds nothing absent and sets the
     * next one. Every sample of a watched measurement moves its deadline on, and moving a timer (delete and register) on each
     * cost more than the rules that read the sample; this way it moves once per absence period at most.
     */
    private void schedule(InstanceState st, CompiledRules packs, org.apache.flink.streaming.api.TimerService timers, long now) throws Exception {
        long next = RuleEngine.nextDeadline(st, packs, watching(timers));
        if (next != Long.MAX_VALUE && next <= now) {
            next = now + RuleEngine.RECHECK_MS;
        }
        Long current = timer.value();
        if (current != null && (current == next || (current > now && current < next))) {
            return;
        }
        if (current != null) {
            timers.deleteProcessingTimeTimer(current);
        }
        if (next == Long.MAX_VALUE) {
            timer.clear();
        } else {
            timers.registerProcessingTimeTimer(next);
            timer.update(next);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alarm> out) throws Exception {
        InstanceState st = state.value();
        timer.clear();
        if (st == null) {
            return;
        }
        CompiledRules packs = packs(ctx.getBroadcastState(PACKS).immutableEntries());
        RuleEngine.onTimer(st, packs, timestamp, new RuleEngine.Watch(watching(ctx.timerService()),
                partitionTime.getOrDefault(st.partition(), Long.MIN_VALUE))).forEach(out::collect);
        state.update(st);
        schedule(st, packs, ctx.timerService(), timestamp);
    }

    @Override
    public void processBroadcastElement(RulePackText update, Context ctx, Collector<Alarm> out) throws Exception {
        BroadcastState<String, String> packs = ctx.getBroadcastState(PACKS);
        String yaml = update.yaml() == null || update.yaml().isBlank() ? REMOVED : update.yaml();
        if (!yaml.equals(REMOVED)) {
            try {
                RulePack p = RulePack.parse(update.pack(), yaml);
                if (!p.name().equals(update.pack())) {
                    throw new IllegalArgumentException("rule pack published as '" + update.pack() + "' names itself '" + p.name() + "'");
                }
            } catch (IllegalArgumentException e) {
                // the previous version stays in force
                ctx.output(DEAD_LETTERS, new DeadLetter(DeadLetter.SCHEMA, Instant.now(), "flink-jobs/metrics", null, null, null,
                        update.pack(), e.getMessage(), yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                return;
            }
        }
        packs.put(update.pack(), yaml);
        List<RulePack> now = packs(packs.immutableEntries()).packs();
        long time = ctx.currentProcessingTime();
        ctx.applyToKeyedState(STATE, (key, s) -> {
            InstanceState st = s.value();
            if (st != null) {
                RuleEngine.reconcile(st, now, time).forEach(out::collect);
                s.update(st);
            }
        });
    }
}
