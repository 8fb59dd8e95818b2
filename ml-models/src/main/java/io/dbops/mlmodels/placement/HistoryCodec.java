package io.dbops.mlmodels.placement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The history's JSON-lines form, one decision per line:
 * <pre>{"request": {"id", "engine", "memory_gb", "disk_gb", "business", "cluster", "role"},
 *  "candidates": [{"server", "rack", "dc", "cpu_util", "mem_total_gb", "mem_free_gb", "disk_free_gb",
 *                  "io_util", "instances", "same_business_instances", "same_cluster_on_host",
 *                  "same_cluster_in_rack", "hardware"}],
 *  "chosen": "SERVER"}</pre>
 * Optional: {@code request.cluster} (null: standalone), {@code cpu_util}/{@code io_util} null when
 * unknown, {@code candidates[].maintenance}, {@code chosen_by}, {@code decided_at},
 * {@code outcome.incidents_30d}; other extra fields are ignored. A line that does not fit is
 * rejected with its line number and the field at fault.
 */
public final class HistoryCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryCodec() {
    }

    /** A line that could not be read: its number (1-based) and what is wrong. */
    public record Problem(long line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /** Decisions read, and the lines rejected. */
    public record Read(List<Decision> decisions, List<Problem> problems) {
    }

    /** Thrown for a line that does not fit; the message names the field. */
    public static final class BadDecision extends Exception {
        public BadDecision(String message) {
            super(message);
        }
    }

    public static Read read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            return read(r);
        }
    }

    public static Read read(BufferedReader r) throws IOException {
        List<Decision> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(parse(line));
            } catch (BadDecision e) {
                problems.add(new Problem(n, e.getMessage()));
            }
        }
        return new Read(out, problems);
    }

    public static Decision parse(String line) throws BadDecision {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadDecision("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new BadDecision("not a JSON object");
        }
        return decision(root);
    }

    /** A decision from its JSON object (a history line, or a request plus candidates files). */
    public static Decision decision(JsonNode root) throws BadDecision {
        PlacementRequest request = request(object(root, "request", "request"));
        List<ServerCandidate> candidates = candidates(root.get("candidates"), "candidates");
        String chosen = root.hasNonNull("chosen") ? root.get("chosen").asText() : null;
        if (chosen == null || chosen.isEmpty()) {
            throw new BadDecision("field 'chosen' is missing");
        }
        if (candidates.stream().noneMatch(c -> c.server().equals(chosen))) {
            throw new BadDecision("field 'chosen': server '" + chosen + "' is not among the candidates");
        }
        Integer incidents = null;
        JsonNode outcome = root.get("outcome");
        if (outcome != null && outcome.hasNonNull("incidents_30d")) {
            if (!outcome.get("incidents_30d").canConvertToInt()) {
                throw new BadDecision("field 'outcome.incidents_30d' must be a whole number");
            }
            incidents = outcome.get("incidents_30d").asInt();
        }
        String at = text(root, "decided_at");
        if (at != null) {
            try {
                java.time.Instant.parse(at);
            } catch (java.time.format.DateTimeParseException e) {
                throw new BadDecision("field 'decided_at' must be an ISO-8601 time such as 2026-01-31T10:00:00Z, got '" + at + "'");
            }
        }
        return new Decision(request, candidates, chosen, text(root, "chosen_by"), at, incidents);
    }

    public static PlacementRequest request(JsonNode r) throws BadDecision {
        String p = "request.";
        double memory = number(r, "memory_gb", p, false);
        double disk = number(r, "disk_gb", p, false);
        if (memory <= 0 || disk < 0) {
            throw new BadDecision("field 'request.memory_gb' must be > 0 and 'request.disk_gb' >= 0");
        }
        return new PlacementRequest(required(r, "id", p), required(r, "engine", p), memory, disk, required(r, "business", p),
                text(r, "cluster"), required(r, "role", p));
    }

    public static List<ServerCandidate> candidates(JsonNode array, String where) throws BadDecision {
        if (array == null || !array.isArray()) {
            throw new BadDecision("field '" + where + "' must be an array of servers");
        }
        if (array.isEmpty()) {
            throw new BadDecision("field '" + where + "' is empty");
        }
        List<ServerCandidate> out = new ArrayList<>(array.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode c = array.get(i);
            String p = where + "[" + i + "].";
            if (!c.isObject()) {
                throw new BadDecision("field '" + where + "[" + i + "]' must be an object");
            }
            ServerCandidate s = new ServerCandidate(required(c, "server", p), required(c, "rack", p), required(c, "dc", p),
                    number(c, "cpu_util", p, true), number(c, "mem_total_gb", p, false), number(c, "mem_free_gb", p, false),
                    number(c, "disk_free_gb", p, false), number(c, "io_util", p, true), count(c, "instances", p),
                    count(c, "same_business_instances", p), count(c, "same_cluster_on_host", p), count(c, "same_cluster_in_rack", p),
                    required(c, "hardware", p), c.path("maintenance").asBoolean(false));
            if (!seen.add(s.server())) {
                throw new BadDecision("field '" + p + "server': '" + s.server() + "' appears twice");
            }
            out.add(s);
        }
        return out;
    }

    /** One decision as a history line. */
    public static String write(Decision d) {
        ObjectNode root = JSON.createObjectNode();
        root.set("request", requestNode(d.request()));
        root.set("candidates", candidatesNode(d.candidates()));
        root.put("chosen", d.chosen());
        if (d.chosenBy() != null) {
            root.put("chosen_by", d.chosenBy());
        }
        if (d.decidedAt() != null) {
            root.put("decided_at", d.decidedAt());
        }
        if (d.incidents30d() != null) {
            root.putObject("outcome").put("incidents_30d", d.incidents30d());
        }
        return root.toString();
    }

    public static ObjectNode requestNode(PlacementRequest r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id()).put("engine", r.engine()).put("memory_gb", r.memoryGb()).put("disk_gb", r.diskGb())
                .put("business", r.business());
        if (r.cluster() == null) {
            n.putNull("cluster");
        } else {
            n.put("cluster", r.cluster());
        }
        n.put("role", r.role());
        return n;
    }

    public static ArrayNode candidatesNode(List<ServerCandidate> candidates) {
        ArrayNode a = JSON.createArrayNode();
        for (ServerCandidate c : candidates) {
            ObjectNode n = a.addObject();
            n.put("server", c.server()).put("rack", c.rack()).put("dc", c.dc());
            putMaybe(n, "cpu_util", c.cpuUtil());
            n.put("mem_total_gb", c.memTotalGb()).put("mem_free_gb", c.memFreeGb()).put("disk_free_gb", c.diskFreeGb());
            putMaybe(n, "io_util", c.ioUtil());
            n.put("instances", c.instances()).put("same_business_instances", c.sameBusinessInstances())
                    .put("same_cluster_on_host", c.sameClusterOnHost()).put("same_cluster_in_rack", c.sameClusterInRack())
                    .put("hardware", c.hardware());
            if (c.maintenance()) {
                n.put("maintenance", true);
            }
        }
        return a;
    }

    /** Writes decisions as JSON lines. */
    public static void write(Path file, Iterable<Decision> decisions) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Decision d : decisions) {
                w.write(write(d));
                w.newLine();
            }
        }
    }

    private static void putMaybe(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    private static JsonNode object(JsonNode n, String field, String where) throws BadDecision {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new BadDecision("field '" + where + "' is missing or not an object");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode n, String field, String prefix) throws BadDecision {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty()) {
            throw new BadDecision("field '" + prefix + field + "' is missing");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String field, String prefix, boolean nullable) throws BadDecision {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new BadDecision("field '" + prefix + field + "' is missing");
        }
        if (v.isNull() && nullable) {
            return Double.NaN;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new BadDecision("field '" + prefix + field + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static int count(JsonNode n, String field, String prefix) throws BadDecision {
        double v = number(n, field, prefix, false);
        if (v < 0 || v != Math.rint(v)) {
            throw new BadDecision("field '" + prefix + field + "' must be a whole number >= 0, got " + v);
        }
        return (int) v;
    }
}
