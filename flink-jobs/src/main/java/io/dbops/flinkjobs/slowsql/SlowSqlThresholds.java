package io.dbops.flinkjobs.slowsql;

import io.dbops.events.InstanceRef;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Slow-SQL alarm thresholds with defaults, overridable per business line and per instance (the
 * most specific wins), read from properties such as {@code alarm.default.burst.total.seconds=60},
 * {@code alarm.business.trade.regression.factor=2}, {@code alarm.instance.db-1.new.min.total.seconds=5}.
 *
 * @param warmUp               how long after an instance's first digest "new query" alarms start
 *                             (everything is new at first)
 * @param newMinTotalSeconds   a new query alarms only if its window total time reaches this
 * @param regressionFactor     p95 or calls over the baseline by this factor is a regression
 * @param regressionMinCalls   ... but only with at least this many calls in the window
 * @param baselineWindows      the baseline is an average over about this many past windows
 * @param burstTotalSeconds    total slow time of an instance in one window that is a burst
 */
public record SlowSqlThresholds(Duration warmUp, double newMinTotalSeconds, double regressionFactor, long regressionMinCalls,
                                int baselineWindows, double burstTotalSeconds) implements Serializable {

    static final Map<String, String> NAMES = Map.of(
            "warm.up.seconds", "warmUp", "new.min.total.seconds", "newMinTotalSeconds", "regression.factor", "regressionFactor",
            "regression.min.calls", "regressionMinCalls", "baseline.windows", "baselineWindows",
            "burst.total.seconds", "burstTotalSeconds");

    public static SlowSqlThresholds defaults() {
        return new SlowSqlThresholds(Duration.ofMinutes(10), 1.0, 3.0, 20, 30, 60.0);
    }

    /** Defaults plus overrides; {@link #forInstance} picks the most specific. */
    public record Config(SlowSqlThresholds defaults, Map<String, SlowSqlThresholds> byBusinessLine,
                         Map<String, SlowSqlThresholds> byInstance) implements Serializable {

        public static Config of(SlowSqlThresholds defaults) {
            return new Config(defaults, Map.of(), Map.of());
        }

        public SlowSqlThresholds forInstance(InstanceRef i) {
            SlowSqlThresholds t = byInstance.get(i.id());
            if (t == null && i.businessLine() != null) {
                t = byBusinessLine.get(i.businessLine());
            }
            return t != null ? t : defaults;
        }

        /** Reads every {@code alarm.*} key; problems lists every bad key or value, nothing is applied half-way. */
        public static Config parse(Properties p, List<String> problems) {
            SlowSqlThresholds defaults = apply(SlowSqlThresholds.defaults(), p, "alarm.default.", problems);
            Map<String, SlowSqlThresholds> business = new HashMap<>();
            Map<String, SlowSqlThresholds> instances = new HashMap<>();
            for (String key : p.stringPropertyNames()) {
                if (!key.startsWith("alarm.")) {
                    continue;
                }
                String[] parts = key.split("\\.", 4);
                if (parts.length >= 3 && parts[1].equals("default")) {
                    continue;
                }
                if (parts.length < 4 || !(parts[1].equals("business") || parts[1].equals("instance"))) {
                    problems.add("unknown alarm key " + key + " (alarm.default.NAME, alarm.business.LINE.NAME or alarm.instance.ID.NAME)");
                    continue;
                }
                String scope = parts[2];
                Map<String, SlowSqlThresholds> target = parts[1].equals("business") ? business : instances;
                String prefix = "alarm." + parts[1] + "." + scope + ".";
                target.computeIfAbsent(scope, s -> apply(defaults, p, prefix, problems));
            }
            return new Config(defaults, Map.copyOf(business), Map.copyOf(instances));
        }

        private static SlowSqlThresholds apply(SlowSqlThresholds base, Properties p, String prefix, List<String> problems) {
            Map<String, Double> v = new HashMap<>();
            for (String key : p.stringPropertyNames()) {
                if (!key.startsWith(prefix)) {
                    continue;
                }
                String name = key.substring(prefix.length());
                if (!NAMES.containsKey(name)) {
                    problems.add("unknown threshold " + key + " (known: " + String.join(", ", new ArrayList<>(NAMES.keySet())) + ")");
                    continue;
                }
                try {
                    double d = Double.parseDouble(p.getProperty(key).trim());
                    if (d < 0) {
                        throw new NumberFormatException();
                    }
                    v.put(name, d);
                } catch (NumberFormatException e) {
                    problems.add(key + " must be a non-negative number, got '" + p.getProperty(key) + "'");
                }
            }
            return new SlowSqlThresholds(
                    v.containsKey("warm.up.seconds") ? Duration.ofSeconds(v.get("warm.up.seconds").longValue()) : base.warmUp(),
                    v.getOrDefault("new.min.total.seconds", base.newMinTotalSeconds()),
                    v.getOrDefault("regression.factor", base.regressionFactor()),
                    v.containsKey("regression.min.calls") ? v.get("regression.min.calls").longValue() : base.regressionMinCalls(),
                    v.containsKey("baseline.windows") ? v.get("baseline.windows").intValue() : base.baselineWindows(),
                    v.getOrDefault("burst.total.seconds", base.burstTotalSeconds()));
        }
    }
}
