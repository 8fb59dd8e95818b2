package io.dbops.mlmodels.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline file formats: {@code alarms.jsonl} (one alarm per line: {@code id}, {@code ts} epoch
 * ms, {@code instance} or {@code host}, {@code type}, {@code severity}; extra fields allowed),
 * {@code truth.jsonl} / {@code assignments.jsonl} ({@code alarm_id}, {@code incident_id}) and
 * {@code topology.json}. A bad line is reported with its number and skipped; nothing else is lost.
 */
public final class AlarmFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlarmFiles() {
    }

    /** Alarms read, and the problems of the lines that could not be. */
    public record Read(List<StormGenerator.Alarm> alarms, List<String> problems) {
    }

    public static Read readAlarms(Path file) throws IOException {
        List<StormGenerator.Alarm> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode a = JSON.readTree(line);
                    String id = a.path("id").asText(null);
                    String type = a.path("type").asText(null);
                    String instance = a.hasNonNull("instance") ? a.get("instance").asText() : null;
                    String host = a.hasNonNull("host") ? a.get("host").asText() : null;
                    if (id == null || type == null || !a.path("ts").canConvertToLong() || (instance == null && host == null)) {
                        problems.add(file.getFileName() + ":" + n + ": needs id, ts (epoch ms), type and instance or host");
                        continue;
                    }
                    out.add(new StormGenerator.Alarm(id, a.get("ts").asLong(), instance, host, type, a.path("severity").asText("warning")));
                } catch (IOException e) {
                    problems.add(file.getFileName() + ":" + n + ": not JSON");
                }
            }
        }
        return new Read(out, problems);
    }

    public static void writeAlarms(Path file, List<StormGenerator.Alarm> alarms) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (StormGenerator.Alarm a : alarms) {
                ObjectNode o = JSON.createObjectNode().put("id", a.id()).put("ts", a.ts());
                if (a.instance() != null) {
                    o.put("instance", a.instance());
                } else {
                    o.put("host", a.host());
                }
                o.put("type", a.type()).put("severity", a.severity());
                w.write(JSON.writeValueAsString(o));
                w.newLine();
            }
        }
    }

    public static Map<String, String> readAssignments(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode a = JSON.readTree(line);
                    out.put(a.path("alarm_id").asText(), a.path("incident_id").asText());
                }
            }
        }
        return out;
    }

    public static void writeAssignments(Path file, Map<String, String> assignments, java.util.Set<String> unknownTopology) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Map.Entry<String, String> e : assignments.entrySet()) {
                ObjectNode o = JSON.createObjectNode().put("alarm_id", e.getKey()).put("incident_id", e.getValue());
                if (unknownTopology.contains(e.getKey())) {
                    o.put("flag", "not_in_topology");
                }
                w.write(JSON.writeValueAsString(o));
                w.newLine();
            }
        }
    }

    public static void writeTopology(Path file, Topology t) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        var hosts = root.putArray("hosts");
        t.hosts().values().stream().sorted(java.util.Comparator.comparing(Topology.Host::host))
                .forEach(h -> hosts.addObject().put("host", h.host()).put("rack", h.rack()).put("dc", h.dc()));
        var instances = root.putArray("instances");
        t.instances().values().stream().sorted(java.util.Comparator.comparing(Topology.Instance::id)).forEach(i -> instances.addObject()
                .put("id", i.id()).put("engine", i.engine()).put("host", i.host()).put("rack", i.rack()).put("dc", i.dc())
                .put("cluster", i.cluster()).put("business", i.business()).put("role", i.role()).put("port", i.port()));
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** Alarms as points located in the topology (sorted by time, then id). */
    public static List<AlarmPoint> points(Topology t, List<StormGenerator.Alarm> alarms) {
        List<AlarmPoint> out = new ArrayList<>(alarms.size());
        for (StormGenerator.Alarm a : alarms) {
            out.add(new AlarmPoint(a.id(), a.ts(), a.type().intern(), AlarmPoint.severity(a.severity()), t.locate(a.instance(), a.host())));
        }
        out.sort(java.util.Comparator.comparingLong(AlarmPoint::ts).thenComparing(AlarmPoint::id));
        return out;
    }

    /** Past incidents (alarm types per incident) from an alarms file and its truth or assignments. */
    public static List<List<String>> incidents(List<StormGenerator.Alarm> alarms, Map<String, String> assignment) {
        Map<String, List<String>> by = new LinkedHashMap<>();
        for (StormGenerator.Alarm a : alarms) {
            String incident = assignment.get(a.id());
            if (incident != null) {
                by.computeIfAbsent(incident, k -> new ArrayList<>()).add(a.type());
            }
        }
        return new ArrayList<>(by.values());
    }
}
