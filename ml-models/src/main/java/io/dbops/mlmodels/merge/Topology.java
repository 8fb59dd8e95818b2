package io.dbops.mlmodels.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where things are: hosts (rack, dc) and instances (host, cluster or replica set, business line,
 * role). Read from the inventory or from a {@code topology.json}
 * ({@code {"hosts": [{"host","rack","dc"}], "instances": [{"id","engine","host","rack","dc","cluster","business","role","port"}]}}),
 * validated as a whole: {@link #parse} lists every problem.
 */
public final class Topology {
    /** One host. */
    public record Host(String host, String rack, String dc) {
    }

    /** One instance. */
    public record Instance(String id, String engine, String host, String rack, String dc, String cluster, String business, String role,
                           Integer port) {
    }

    /** Thrown with every problem of a topology. */
    public static final class InvalidTopologyException extends IllegalArgumentException {
        InvalidTopologyException(List<String> problems) {
            super("topology has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong VERSIONS = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Host> hosts;
    private final Map<String, Instance> instances;
    private final long version = VERSIONS.incrementAndGet() ^ (System.nanoTime() << 20);
    private final Map<String, Integer> clusterCodes = new HashMap<>();
    private final Map<String, Integer> hostCodes = new HashMap<>();
    private final Map<String, Integer> rackCodes = new HashMap<>();
    private final Map<String, Integer> dcCodes = new HashMap<>();
    private final Map<String, Integer> businessCodes = new HashMap<>();
    private final Map<String, Location> instanceLocations = new HashMap<>();
    private final Map<String, Location> hostLocations = new HashMap<>();

    public Topology(Map<String, Host> hosts, Map<String, Instance> instances) {
        this.hosts = Map.copyOf(hosts);
        this.instances = Map.copyOf(instances);
        for (Host h : new java.util.TreeMap<>(this.hosts).values()) {
            code(hostCodes, h.host());
            code(rackCodes, h.rack());
            code(dcCodes, h.dc());
            hostLocations.put(h.host(), new Location(null, null, h.host(), h.rack(), h.dc(), null, "host", true, index(null, h.host(), h.rack(),
                    h.dc(), null)));
        }
        for (Instance i : new java.util.TreeMap<>(this.instances).values()) {
            code(clusterCodes, i.cluster());
            code(hostCodes, i.host());
            code(rackCodes, i.rack());
            code(dcCodes, i.dc());
            code(businessCodes, i.business());
        }
        for (Instance i : this.instances.values()) {
            instanceLocations.put(i.id(), new Location(i.id(), i.cluster(), i.host(), i.rack(), i.dc(), i.business(), i.role(), true,
                    index(i.cluster(), i.host(), i.rack(), i.dc(), i.business())));
        }
    }

    private static void code(Map<String, Integer> codes, String name) {
        if (name != null) {
            codes.putIfAbsent(name, codes.size());
        }
    }

    private Location.Index index(String cluster, String host, String rack, String dc, String business) {
        return new Location.Index(version, codeOf(clusterCodes, cluster), codeOf(hostCodes, host), codeOf(rackCodes, rack),
                codeOf(dcCodes, dc), codeOf(businessCodes, business));
    }

    private static int codeOf(Map<String, Integer> codes, String name) {
        Integer c = name == null ? null : codes.get(name);
        return c == null ? -1 : c;
    }

    /** Identifies this topology's codes in {@link Location.Index}. */
    public long version() {
        return version;
    }

    /** Number of distinct clusters and hosts (the code ranges). */
    public int clusterCount() {
        return clusterCodes.size();
    }

    public int hostCount() {
        return hostCodes.size();
    }

    /** Code of a cluster or host name, -1 if unknown. */
    public int clusterCode(String cluster) {
        return codeOf(clusterCodes, cluster);
    }

    public int hostCode(String host) {
        return codeOf(hostCodes, host);
    }

    public static Topology empty() {
        return new Topology(Map.of(), Map.of());
    }

    public static Topology parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new InvalidTopologyException(List.of("not JSON: " + e.getMessage().lines().findFirst().orElse("")));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Host> hosts = new LinkedHashMap<>();
        Map<String, Instance> instances = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            throw new InvalidTopologyException(List.of("expected an object with 'hosts' and 'instances'"));
        }
        JsonNode hs = root.path("hosts");
        if (!hs.isArray()) {
            problems.add("'hosts' must be a list");
        }
        for (int i = 0; hs.isArray() && i < hs.size(); i++) {
            JsonNode h = hs.get(i);
            String name = text(h, "host");
            if (name == null) {
                problems.add("hosts[" + i + "]: 'host' is required");
                continue;
            }
            if (hosts.putIfAbsent(name, new Host(name, text(h, "rack"), text(h, "dc"))) != null) {
                problems.add("hosts[" + i + "]: host '" + name + "' is listed twice");
            }
        }
        JsonNode is = root.path("instances");
        if (!is.isArray()) {
            problems.add("'instances' must be a list");
        }
        for (int i = 0; is.isArray() && i < is.size(); i++) {
            JsonNode n = is.get(i);
            String id = text(n, "id");
            String at = "instances[" + i + "]" + (id == null ? "" : " (" + id + ")");
            if (id == null) {
                problems.add(at + ": 'id' is required");
                continue;
            }
            String host = text(n, "host");
            if (host == null) {
                problems.add(at + ": 'host' is required");
            }
            Host h = host == null ? null : hosts.get(host);
            String rack = text(n, "rack") != null ? text(n, "rack") : h == null ? null : h.rack();
            String dc = text(n, "dc") != null ? text(n, "dc") : h == null ? null : h.dc();
            if (h != null && text(n, "rack") != null && h.rack() != null && !h.rack().equals(rack)) {
                problems.add(at + ": rack '" + rack + "' differs from its host's rack '" + h.rack() + "'");
            }
            if (n.has("port") && !n.get("port").canConvertToInt()) {
                problems.add(at + ": 'port' must be a number");
            }
            Integer port = n.has("port") && n.get("port").canConvertToInt() ? n.get("port").asInt() : null;
            if (instances.putIfAbsent(id, new Instance(id, text(n, "engine"), host, rack, dc, text(n, "cluster"),
                    text(n, "business"), text(n, "role"), port)) != null) {
                problems.add(at + ": instance '" + id + "' is listed twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTopologyException(problems);
        }
        return new Topology(hosts, instances);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    public Map<String, Host> hosts() {
        return hosts;
    }

    public Map<String, Instance> instances() {
        return instances;
    }

    /**
     * Where an alarm is: from its instance, or (host-level alarms) its host. An instance or host the
     * topology does not know keeps what the alarm itself says and is flagged {@code known=false}.
     */
    public Location locate(String instance, String host) {
        if (instance != null) {
            Location known = instanceLocations.get(instance);
            if (known != null) {
                return known;
            }
            Host h = host == null ? null : hosts.get(host);
            return new Location(instance, null, host, h == null ? null : h.rack(), h == null ? null : h.dc(), null, null, false,
                    index(null, host, h == null ? null : h.rack(), h == null ? null : h.dc(), null));
        }
        Location known = host == null ? null : hostLocations.get(host);
        if (known != null) {
            return known;
        }
        return new Location(null, null, host, null, null, null, "host", false, Location.Index.NONE);
    }
}
