package io.dbops.flinkjobs.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbops.events.Engine;
import io.dbops.events.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named set of alarm rules and counter declarations, loaded from YAML and validated as a whole:
 * {@link #parse} reports every problem it finds (rule index, id and key), never just the first, and
 * never yields a half-valid pack. The format is documented in {@code docs/alarm-rules.md}.
 *
 * <pre>
 * pack: default
 * counters:                      # fields that only go up; the job writes MEASUREMENT_rate series for them
 *   mysql_status: [questions, com_*, bytes_*]
 * rules:
 *   - id: mysql_threads_running_high
 *     engines: [mysql, mariadb]
 *     value: mysql_status.threads_running
 *     op: "&gt;"
 *     threshold: 40
 *     clear: 30                  # hysteresis
 *     for: 30s
 *     min_firing: 1m
 *     severity: warning
 *     summary: "{instance}: {value} threads running (over {threshold} for {for})"
 *     overrides:
 *       - {business_lines: [trade], threshold: 80}
 * </pre>
 */
public final class RulePack implements Serializable {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_.-]{0,99}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Set<String> OPS = Set.of(">", ">=", "<", "<=", "==", "!=");
    private static final Set<String> RULE_KEYS = Set.of("id", "type", "severity", "engines", "clusters", "business_lines", "instances",
            "value", "op", "threshold", "clear", "when", "absent", "for", "min_firing", "summary", "labels", "overrides");
    private static final Set<String> OVERRIDE_KEYS = Set.of("engines", "clusters", "business_lines", "instances", "threshold", "clear",
            "for", "severity");

    private final String name;
    private final List<Rule> rules;
    private final Map<String, List<Pattern>> counters;
    private transient Map<String, Map<String, Boolean>> counterCache;
    /** measurement → the fields some rule's expression reads. */
    private final Map<String, Set<String>> referenced;

    private RulePack(String name, List<Rule> rules, Map<String, List<Pattern>> counters) {
        this.name = name;
        this.rules = rules;
        this.counters = counters;
        Map<String, Set<String>> refs = new java.util.HashMap<>();
        for (Rule r : rules) {
            for (Expr e : java.util.Arrays.asList(r.value(), r.when())) {
                if (e != null) {
                    for (String ref : e.refs()) {
                        int dot = ref.indexOf('.');
                        refs.computeIfAbsent(ref.substring(0, dot), k -> new java.util.HashSet<>()).add(ref.substring(dot + 1));
                    }
                }
            }
        }
        this.referenced = refs;
    }

    /**
     * Whether the job must remember {@code measurement.field}: a counter (its rate needs the last value) or a field some
     * rule reads. Nothing else is kept: a MariaDB sample has hundreds of status fields, and the state is checkpointed every
     * second.
     */
    public boolean keeps(String measurement, String field) {
        Set<String> fields = referenced.get(measurement);
        return (fields != null && fields.contains(field)) || isCounter(measurement, field);
    }

    /** Thrown with every problem of a pack. */
    public static final class InvalidRulePackException extends IllegalArgumentException {
        private final List<String> problems;

        InvalidRulePackException(String source, List<String> problems) {
            super("rule pack " + source + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n  "
                    + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static RulePack empty(String name) {
        return new RulePack(name, List.of(), Map.of());
    }

    /** Parses and validates {@code yaml}; {@code source} names it in messages (a file name, a topic). */
    public static RulePack parse(String source, String yaml) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (Exception e) {
            throw new InvalidRulePackException(source, List.of("not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRulePackException(source, List.of("expected a mapping with 'pack' and 'rules'"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("pack", "counters", "rules").contains(k)) {
                problems.add("unknown key '" + k + "' (known: pack, counters, rules)");
            }
        }
        String name = root.path("pack").asText("");
        if (!ID.matcher(name).matches()) {
            problems.add("'pack' must be a lower-case name, got '" + name + "'");
        }
        Map<String, List<Pattern>> counters = new LinkedHashMap<>();
        JsonNode c = root.path("counters");
        if (!c.isMissingNode() && !c.isObject()) {
            problems.add("'counters' must map a measurement to a list of field names or globs");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Pattern> globs = new ArrayList<>();
            for (String g : strings(e.getValue(), "counters." + e.getKey(), problems)) {
                globs.add(Pattern.compile(g.toLowerCase(Locale.ROOT).replace(".", "\\.").replace("*", ".*")));
            }
            counters.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(globs));
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode list = root.path("rules");
        if (!list.isArray()) {
            problems.add("'rules' must be a list of rules");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Rule r = rule(list.get(i), "rules[" + i + "]", problems);
                if (r != null && !ids.add(r.id())) {
                    problems.add("rules[" + i + "]: duplicate id '" + r.id() + "'");
                }
                if (r != null) {
                    rules.add(r);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRulePackException(source, problems);
        }
        return new RulePack(name, List.copyOf(rules), Map.copyOf(counters));
    }

    private static Rule rule(JsonNode n, String at, List<String> problems) {
        if (!n.isObject()) {
            problems.add(at + ": expected a mapping");
            return null;
        }
        String id = n.path("id").asText("");
        String where = id.isEmpty() ? at : at + " (" + id + ")";
        int before = problems.size();
        if (!ID.matcher(id).matches()) {
            problems.add(where + ": 'id' must be a lower-case name (letters, digits, _ . -), got '" + id + "'");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!RULE_KEYS.contains(k)) {
                problems.add(where + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(RULE_KEYS)) + ")");
            }
        }
        String type = n.path("type").asText(id);
        Severity severity = severity(n, where, problems);
        if (severity == null && !n.has("severity")) {
            severity = Severity.WARNING;
        }
        Rule.Scope scope = scope(n, where, problems);
        boolean hasValue = n.has("value");
        boolean hasWhen = n.has("when");
        boolean hasAbsent = n.has("absent");
        if ((hasValue ? 1 : 0) + (hasWhen ? 1 : 0) + (hasAbsent ? 1 : 0) != 1) {
            problems.add(where + ": needs exactly one of 'value' (with op and threshold), 'when' or 'absent'");
        }
        Expr value = hasValue ? expr(n.path("value"), where + ": 'value'", problems) : null;
        Expr when = hasWhen ? expr(n.path("when"), where + ": 'when'", problems) : null;
        String op = null;
        Double threshold = null;
        Double clear = null;
        if (hasValue) {
            op = n.path("op").asText("");
            if (!OPS.contains(op)) {
                problems.add(where + ": 'op' must be one of > >= < <= == !=, got '" + op + "'");
            }
            threshold = number(n, "threshold", where, problems, true);
            clear = number(n, "clear", where, problems, false);
            if (threshold != null && clear != null && OPS.contains(op) && clearsWrongWay(op, threshold, clear)) {
                problems.add(where + ": 'clear' " + clear + " is on the firing side of threshold " + threshold
                        + " for op " + op + " (hysteresis must resolve further away)");
            }
        } else {
            for (String k : List.of("op", "threshold", "clear")) {
                if (n.has(k)) {
                    problems.add(where + ": '" + k + "' belongs to a 'value' rule");
                }
            }
        }
        String absent = null;
        if (hasAbsent) {
            absent = n.path("absent").asText("").toLowerCase(Locale.ROOT);
            if (!ID.matcher(absent).matches()) {
                problems.add(where + ": 'absent' must name a measurement, got '" + n.path("absent").asText() + "'");
            }
        }
        Duration forDuration = duration(n, "for", where, problems);
        if (forDuration == null) {
            forDuration = Duration.ZERO;
            if (hasAbsent) {
                problems.add(where + ": an 'absent' rule needs 'for' (how long without samples)");
            }
        }
        Duration minFiring = duration(n, "min_firing", where, problems);
        String summary = n.path("summary").asText(type + " on {instance}");
        Map<String, String> labels = new LinkedHashMap<>();
        if (n.has("labels")) {
            if (!n.path("labels").isObject()) {
                problems.add(where + ": 'labels' must be a mapping of strings");
            }
            n.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        List<Rule.Override> overrides = new ArrayList<>();
        JsonNode ov = n.path("overrides");
        if (!ov.isMissingNode() && !ov.isArray()) {
            problems.add(where + ": 'overrides' must be a list");
        }
        for (int i = 0; ov.isArray() && i < ov.size(); i++) {
            JsonNode o = ov.get(i);
            String ow = where + ": overrides[" + i + "]";
            if (!o.isObject()) {
                problems.add(ow + ": expected a mapping");
                continue;
            }
            o.fieldNames().forEachRemaining(k -> {
                if (!OVERRIDE_KEYS.contains(k)) {
                    problems.add(ow + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(OVERRIDE_KEYS)) + ")");
                }
            });
            Rule.Scope os = scope(o, ow, problems);
            if (os.specificity() == 0) {
                problems.add(ow + ": names no engines, clusters, business_lines or instances");
            }
            if ((o.has("threshold") || o.has("clear")) && !hasValue) {
                problems.add(ow + ": threshold/clear overrides need a 'value' rule");
            }
            overrides.add(new Rule.Override(os, number(o, "threshold", ow, problems, false), number(o, "clear", ow, problems, false),
                    duration(o, "for", ow, problems), o.has("severity") ? severity(o, ow, problems) : null));
        }
        if (problems.size() > before) {
            return null;
        }
        return new Rule(id, type, severity, scope, value, op, threshold, clear, when, absent, forDuration,
                minFiring == null ? Duration.ZERO : minFiring, summary, Map.copyOf(labels), List.copyOf(overrides));
    }

    private static boolean clearsWrongWay(String op, double threshold, double clear) {
        return switch (op) {
            case ">", ">=" -> clear > threshold;
            case "<", "<=" -> clear < threshold;
            default -> clear != threshold;
        };
    }

    private static Severity severity(JsonNode n, String where, List<String> problems) {
        if (!n.has("severity")) {
            return null;
        }
        String s = n.path("severity").asText("");
        for (Severity v : Severity.values()) {
            if (v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        problems.add(where + ": 'severity' must be info, warning or critical, got '" + s + "'");
        return null;
    }

    private static Rule.Scope scope(JsonNode n, String where, List<String> problems) {
        Set<Engine> engines = new HashSet<>();
        for (String e : strings(n.path("engines"), where + ": engines", problems)) {
            Engine match = null;
            for (Engine v : Engine.values()) {
                if (v.name().equalsIgnoreCase(e)) {
                    match = v;
                }
            }
            if (match == null) {
                problems.add(where + ": unknown engine '" + e + "' (mysql, mariadb, redis, mongo)");
            } else {
                engines.add(match);
            }
        }
        return new Rule.Scope(Set.copyOf(engines), Set.copyOf(strings(n.path("clusters"), where + ": clusters", problems)),
                Set.copyOf(strings(n.path("business_lines"), where + ": business_lines", problems)),
                Set.copyOf(strings(n.path("instances"), where + ": instances", problems)));
    }

    private static List<String> strings(JsonNode n, String where, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            problems.add(where + " must be a list of names");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Expr expr(JsonNode n, String where, List<String> problems) {
        if (!n.isTextual() && !n.isNumber()) {
            problems.add(where + " must be an expression string");
            return null;
        }
        try {
            return Expr.parse(n.asText());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private static Double number(JsonNode n, String key, String where, List<String> problems, boolean required) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) {
            if (required) {
                problems.add(where + ": '" + key + "' is required");
            }
            return null;
        }
        if (v.isNumber() && Double.isFinite(v.asDouble())) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problems.add(where + ": '" + key + "' must be a number, got '" + v.asText() + "'");
        return null;
    }

    /** "30s", "5m", "1h", "250ms", "2d" or a bare number of seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 5m, 1h, 250ms)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 86_400_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private static Duration duration(JsonNode n, String key, String where, List<String> problems) {
        if (!n.has(key)) {
            return null;
        }
        try {
            return parseDuration(n.path(key).asText());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": '" + key + "': " + e.getMessage());
            return null;
        }
    }

    public String name() {
        return name;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Whether {@code measurement.field} is declared a counter (decided once per field: globs are not cheap per sample). */
    public boolean isCounter(String measurement, String field) {
        List<Pattern> globs = counters.get(measurement);
        if (globs == null) {
            return false;
        }
        if (counterCache == null) {
            counterCache = new java.util.concurrent.ConcurrentHashMap<>();
        }
        Map<String, Boolean> fields = counterCache.computeIfAbsent(measurement, k -> new java.util.concurrent.ConcurrentHashMap<>());
        Boolean known = fields.get(field);
        if (known == null) {
            known = false;
            for (Pattern p : globs) {
                known |= p.matcher(field).matches();
            }
            fields.put(field, known);
        }
        return known;
    }

    public Set<String> counterMeasurements() {
        return counters.keySet();
    }
}
