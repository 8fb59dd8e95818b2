package io.dbops.actions.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A playbook parameter: its name, type, whether it is required, and what it means. */
public record Param(String name, Type type, boolean required, String description) {
    public enum Type { STRING, INT, BOOL, DURATION, INSTANCE }

    public static Param required(String name, Type type, String description) {
        return new Param(name, type, true, description);
    }

    public static Param optional(String name, Type type, String description) {
        return new Param(name, type, false, description);
    }

    /**
     * Every problem with {@code values} against {@code spec}, each naming its field: missing
     * required ones, unknown ones, wrong types. Instance ids are checked against {@code knownInstances}.
     */
    public static List<String> problems(List<Param> spec, Map<String, String> values, java.util.Set<String> knownInstances) {
        List<String> problems = new ArrayList<>();
        Map<String, String> given = values == null ? Map.of() : values;
        for (Param p : spec) {
            String v = given.get(p.name());
            if (v == null || v.isBlank()) {
                if (p.required()) {
                    problems.add("parameter '" + p.name() + "' is required (" + p.description() + ")");
                }
                continue;
            }
            String wrong = switch (p.type()) {
                case STRING -> null;
                case INT -> v.matches("-?\\d{1,9}") ? null : "must be a whole number";
                case BOOL -> v.equals("true") || v.equals("false") ? null : "must be true or false";
                case DURATION -> parseDuration(v) != null ? null : "must be a duration such as 30s, 5m or 1h";
                case INSTANCE -> knownInstances.contains(v) ? null : "names no instance in the inventory";
            };
            if (wrong != null) {
                problems.add("parameter '" + p.name() + "' " + wrong + ", got '" + v + "'");
            }
        }
        for (String name : given.keySet()) {
            if (spec.stream().noneMatch(p -> p.name().equals(name))) {
                problems.add("parameter '" + name + "' is unknown (known: "
                        + String.join(", ", spec.stream().map(Param::name).toList()) + ")");
            }
        }
        return problems;
    }

    /** 500ms, 30s, 5m, 2h, 1d; null when not a duration. */
    public static Duration parseDuration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)").matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
