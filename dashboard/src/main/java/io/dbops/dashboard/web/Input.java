package io.dbops.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of a form post or a JSON body, read with their types and limits. Every problem is
 * collected under its field name; {@link #check()} throws them all at once, before anything is
 * stored or run. A JSON body that is not a JSON object is refused as a whole.
 */
public final class Input {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_TEXT = 256;
    private final Map<String, JsonNode> values;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private Input(Map<String, JsonNode> values) {
        this.values = values;
    }

    /** Fields of a JSON object body. */
    public static Input json(String body) {
        if (body == null || body.isBlank()) {
            throw InvalidInput.of("body", "is empty: send a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            throw InvalidInput.of("body", "is not JSON: " + firstLine(e.getMessage()));
        }
        if (!(root instanceof ObjectNode o)) {
            throw InvalidInput.of("body", "must be a JSON object");
        }
        Map<String, JsonNode> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return new Input(m);
    }

    /** Fields of a form post (first value of each). */
    public static Input form(Map<String, List<String>> params) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!v.isEmpty()) {
                m.put(k, JSON.getNodeFactory().textNode(v.get(0)));
            }
        });
        return new Input(m);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private String raw(String field, boolean required) {
        JsonNode n = values.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            if (required) {
                problems.put(field, "is required");
            }
            return null;
        }
        if (!n.isValueNode()) {
            problems.put(field, "must be a " + (n.isArray() ? "single value, not a list" : "value, not an object"));
            return null;
        }
        return n.asText().trim();
    }

    /** A text field of at most {@code max} characters matching {@code pattern} (described by {@code hint}), or null. */
    public String text(String field, boolean required, int max, Pattern pattern, String hint) {
        JsonNode n = values.get(field);
        if (n != null && !n.isNull() && !n.isTextual() && n.isValueNode()) {
            problems.put(field, "must be a string");
            return null;
        }
        String v = raw(field, required);
        if (v == null) {
            return null;
        }
        if (v.length() > max) {
            problems.put(field, "is too long (" + v.length() + " characters, at most " + max + ")");
            return null;
        }
        if (pattern != null && !pattern.matcher(v).matches()) {
            problems.put(field, "must be " + hint);
            return null;
        }
        return v;
    }

    public String text(String field, boolean required) {
        return text(field, required, MAX_TEXT, null, null);
    }

    public Integer integer(String field, boolean required, int min, int max) {
        JsonNode n = values.get(field);
        if (n != null && n.isNumber() && !n.isIntegralNumber()) {
            problems.put(field, "must be a whole number");
            return null;
        }
        String v = raw(field, required);
        if (v == null) {
            return null;
        }
        if (n.isBoolean()) {
            problems.put(field, "must be a number, not true/false");
            return null;
        }
        try {
            long x = Long.parseLong(v);
            if (x < min || x > max) {
                problems.put(field, "must be between " + min + " and " + max + ", got " + x);
                return null;
            }
            return (int) x;
        } catch (NumberFormatException e) {
            problems.put(field, "must be a whole number, got '" + abbreviate(v) + "'");
            return null;
        }
    }

    /** One of {@code allowed}; anything else is named with the allowed values. */
    public String choice(String field, boolean required, List<String> allowed) {
        String v = raw(field, required);
        if (v == null) {
            return null;
        }
        if (!allowed.contains(v)) {
            problems.put(field, "must be one of " + String.join(", ", allowed) + ", got '" + abbreviate(v) + "'");
            return null;
        }
        return v;
    }

    public boolean bool(String field) {
        String v = raw(field, false);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "true", "on", "1", "yes" -> true;
            case "false", "off", "0", "no" -> false;
            default -> {
                problems.put(field, "must be true or false");
                yield false;
            }
        };
    }

    /** An ISO-8601 instant ({@code 2026-11-25T18:00:00Z}) or a local datetime-local value taken as UTC. */
    public Instant time(String field, boolean required) {
        String v = raw(field, required);
        if (v == null) {
            return null;
        }
        try {
            return v.endsWith("Z") || v.contains("+") ? Instant.parse(v) : java.time.LocalDateTime.parse(v).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.put(field, "must be a time like 2026-11-25T18:00:00Z, got '" + abbreviate(v) + "'");
            return null;
        }
    }

    /** A duration like 30m, 2h, 1d (at most {@code max}). */
    public Duration duration(String field, boolean required, Duration max) {
        String v = raw(field, required);
        if (v == null) {
            return null;
        }
        java.util.regex.Matcher m = Pattern.compile("(\\d{1,6})([smhd])").matcher(v);
        if (!m.matches()) {
            problems.put(field, "must be a duration like 30m, 2h or 1d, got '" + abbreviate(v) + "'");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(max) > 0 || d.isZero()) {
            problems.put(field, "must be more than 0 and at most " + max.toHours() + "h");
            return null;
        }
        return d;
    }

    /** Records a problem found by a check that needs more than one field or the database. */
    public void problem(String field, String message) {
        problems.putIfAbsent(field, message);
    }

    public boolean ok(String field) {
        return !problems.containsKey(field);
    }

    public void check() {
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
    }

    private static String abbreviate(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "...";
    }
}
