package io.dbops.actions.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.Playbook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remediation rules: which incidents start which playbook, with what parameters and under which
 * policy, plus the guards' settings. Read from YAML and checked as a whole: every problem is
 * listed at once, each naming its rule and field.
 *
 * <pre>
 * settings:
 *   flap_block: 1h            # a second failover of one cluster within this is refused
 *   rate_limit: 3 per 1h      # runs of one playbook on one cluster
 * rules:
 *   - name: mariadb-primary-dead
 *     match:
 *       alarm_types: [mysql_down]   # a member alarm of the incident with one of these types
 *       engines: [mariadb, mysql]   # ... on an instance of these engines
 *       roles: [primary]            # ... whose inventory role is one of these
 *       clusters: [...]             # optional filters: clusters, business_lines, incident_kinds, labels
 *     playbook: mariadb_failover
 *     params: {primary: "{instance}"}   # {instance}, {cluster}, {host}, {incident} are filled in
 *     policy: auto                      # auto | approval | notify
 *     dry_run: false
 * </pre>
 */
public record RemediationRules(Settings settings, List<Rule> rules) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public enum Policy { AUTO, APPROVAL, NOTIFY }

    /** Guards' settings. */
    public record Settings(Duration flapBlock, int rateLimitRuns, Duration rateLimitPer) {
        public static final Settings DEFAULTS = new Settings(Duration.ofHours(1), 3, Duration.ofHours(1));
    }

    /** What an incident must have for a rule to apply; an empty set means any. */
    public record Match(Set<String> alarmTypes, Set<String> engines, Set<String> roles, Set<String> clusters,
                        Set<String> businessLines, Set<String> incidentKinds, Map<String, String> labels) {
    }

    public record Rule(String name, Match match, String playbook, Map<String, String> params, Policy policy, boolean dryRun) {
    }

    /** A rules file with problems; the message lists all of them. */
    public static final class RulesException extends Exception {
        private final List<String> problems;

        public RulesException(String source, List<String> problems) {
            super(source + ": " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static final Set<String> TOP = Set.of("settings", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "match", "playbook", "params", "policy", "dry_run");
    private static final Set<String> MATCH_KEYS = Set.of("alarm_types", "engines", "roles", "clusters", "business_lines",
            "incident_kinds", "labels");
    private static final Set<String> ENGINES = Set.of("mysql", "mariadb", "redis", "mongo");
    private static final Set<String> PLACEHOLDERS = Set.of("{instance}", "{cluster}", "{host}", "{incident}");

    /** Parses and checks rules against the playbooks that exist; throws with every problem. */
    public static RemediationRules parse(String source, String yaml, Map<String, Playbook> playbooks) throws RulesException {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (Exception e) {
            throw new RulesException(source, List.of("not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (root == null || !root.isObject()) {
            throw new RulesException(source, List.of("the document must be a mapping with 'settings' and 'rules'"));
        }
        unknownKeys(root, TOP, "", problems);
        Settings settings = settings(root.get("settings"), problems);
        List<Rule> rules = new ArrayList<>();
        JsonNode list = root.get("rules");
        if (list == null || !list.isArray()) {
            problems.add("'rules' must be a list");
        } else {
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Rule r = rule(list.get(i), "rules[" + i + "]", playbooks, problems);
                if (r != null && !names.add(r.name())) {
                    problems.add("rules[" + i + "].name: '" + r.name() + "' is used twice");
                }
                if (r != null) {
                    rules.add(r);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesException(source, problems);
        }
        return new RemediationRules(settings, List.copyOf(rules));
    }

    private static Settings settings(JsonNode s, List<String> problems) {
        if (s == null) {
            return Settings.DEFAULTS;
        }
        if (!s.isObject()) {
            problems.add("settings: must be a mapping");
            return Settings.DEFAULTS;
        }
        unknownKeys(s, Set.of("flap_block", "rate_limit"), "settings.", problems);
        Duration flap = Settings.DEFAULTS.flapBlock();
        if (s.has("flap_block")) {
            flap = Param.parseDuration(s.get("flap_block").asText());
            if (flap == null) {
                problems.add("settings.flap_block: must be a duration such as 30m or 1h, got '" + s.get("flap_block").asText() + "'");
                flap = Settings.DEFAULTS.flapBlock();
            }
        }
        int runs = Settings.DEFAULTS.rateLimitRuns();
        Duration per = Settings.DEFAULTS.rateLimitPer();
        if (s.has("rate_limit")) {
            String text = s.get("rate_limit").asText();
            var m = java.util.regex.Pattern.compile("(\\d{1,4})\\s+per\\s+(\\S+)").matcher(text.trim());
            if (!m.matches() || Param.parseDuration(m.group(2)) == null || Integer.parseInt(m.group(1)) < 1) {
                problems.add("settings.rate_limit: must be 'N per DURATION' such as '3 per 1h', got '" + text + "'");
            } else {
                runs = Integer.parseInt(m.group(1));
                per = Param.parseDuration(m.group(2));
            }
        }
        return new Settings(flap, runs, per);
    }

    private static Rule rule(JsonNode n, String at, Map<String, Playbook> playbooks, List<String> problems) {
        if (n == null || !n.isObject()) {
            problems.add(at + ": must be a mapping");
            return null;
        }
        unknownKeys(n, RULE_KEYS, at + ".", problems);
        String name = text(n, "name");
        if (name == null || name.isBlank()) {
            problems.add(at + ".name: required");
            name = at;
        }
        String where = at + " (" + name + ")";
        String playbook = text(n, "playbook");
        Playbook pb = playbook == null ? null : playbooks.get(playbook);
        if (playbook == null) {
            problems.add(where + ".playbook: required");
        } else if (pb == null) {
            problems.add(where + ".playbook: unknown playbook '" + playbook + "' (known: " + String.join(", ", playbooks.keySet()) + ")");
        }
        Policy policy = Policy.APPROVAL;
        String p = text(n, "policy");
        if (p == null) {
            problems.add(where + ".policy: required (auto, approval or notify)");
        } else {
            try {
                policy = Policy.valueOf(p.toUpperCase());
            } catch (IllegalArgumentException e) {
                problems.add(where + ".policy: must be auto, approval or notify, got '" + p + "'");
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode pn = n.get("params");
        if (pn != null && !pn.isObject()) {
            problems.add(where + ".params: must be a mapping");
        } else if (pn != null) {
            pn.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        if (pb != null) {
            for (String problem : Param.problems(pb.params(), withoutPlaceholders(params), Set.of())) {
                if (!problem.contains("names no instance")) {
                    problems.add(where + ".params: " + problem);
                }
            }
        }
        for (var e : params.entrySet()) {
            var m = java.util.regex.Pattern.compile("\\{[a-z_]+}").matcher(e.getValue());
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group())) {
                    problems.add(where + ".params." + e.getKey() + ": unknown placeholder " + m.group() + " (known: "
                            + String.join(", ", PLACEHOLDERS.stream().sorted().toList()) + ")");
                }
            }
        }
        Match match = match(n.get("match"), where + ".match", problems);
        JsonNode dry = n.get("dry_run");
        if (dry != null && !dry.isBoolean()) {
            problems.add(where + ".dry_run: must be true or false");
        }
        return new Rule(name, match, playbook, Map.copyOf(params), policy, dry != null && dry.asBoolean());
    }

    /** Placeholder values stand for instances the inventory will have: they are checked when the rule fires. */
    private static Map<String, String> withoutPlaceholders(Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.startsWith("{") ? "x" : v));
        return out;
    }

    private static Match match(JsonNode m, String at, List<String> problems) {
        if (m == null || !m.isObject()) {
            problems.add(at + ": required, a mapping (alarm_types, engines, roles, clusters, business_lines, incident_kinds, labels)");
            return new Match(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of());
        }
        unknownKeys(m, MATCH_KEYS, at + ".", problems);
        Set<String> engines = set(m, "engines", at, problems);
        for (String e : engines) {
            if (!ENGINES.contains(e)) {
                problems.add(at + ".engines: unknown engine '" + e + "' (known: mariadb, mongo, mysql, redis)");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = m.get("labels");
        if (l != null && !l.isObject()) {
            problems.add(at + ".labels: must be a mapping");
        } else if (l != null) {
            l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        Set<String> types = set(m, "alarm_types", at, problems);
        Set<String> kinds = set(m, "incident_kinds", at, problems);
        if (types.isEmpty() && kinds.isEmpty()) {
            problems.add(at + ": needs alarm_types or incident_kinds (a rule matching every incident is refused)");
        }
        return new Match(types, engines, set(m, "roles", at, problems), set(m, "clusters", at, problems),
                set(m, "business_lines", at, problems), kinds, Map.copyOf(labels));
    }

    private static Set<String> set(JsonNode m, String key, String at, List<String> problems) {
        JsonNode n = m.get(key);
        if (n == null) {
            return Set.of();
        }
        if (!n.isArray()) {
            problems.add(at + "." + key + ": must be a list");
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        n.forEach(v -> out.add(v.asText()));
        return Set.copyOf(out);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void unknownKeys(JsonNode n, Set<String> known, String at, List<String> problems) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                problems.add(at + k + ": unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
