package io.dbops.collectors.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's targets: a static bootstrap file (so it can poll before the inventory exists)
 * plus every active instance of the metadata inventory, re-read every {@code refresh} (new
 * instances are polled within one refresh, removed ones dropped). The inventory wins over the file
 * for the same id. While the metadata DB is unreachable the last known list stays in force.
 *
 * <pre>
 * targets:
 *   - {id: db-1, engine: mariadb, host: 10.0.0.1, port: 3306, cluster: orders,
 *      business_line: trade, role: primary, credential: fleet.mariadb.monitor}
 * </pre>
 */
public final class MetricsTargets implements Supplier<List<MetricsTarget>> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsTargets.class);
    private static final Set<String> KEYS = Set.of("id", "engine", "host", "port", "cluster", "business_line", "role", "credential",
            "server", "interval");

    private final List<MetricsTarget> fromFile;
    private final MetadataDb db;
    private final Duration refresh;
    private final Clock clock;
    private List<MetricsTarget> cached;
    private long loadedAt;
    private boolean loaded;

    public MetricsTargets(List<MetricsTarget> fromFile, MetadataDb db, Duration refresh, Clock clock) {
        this.fromFile = List.copyOf(fromFile);
        this.db = db;
        this.refresh = refresh;
        this.clock = clock;
        this.cached = this.fromFile;
    }

    /** Reads a bootstrap file; every problem is listed in the exception's message. */
    public static List<MetricsTarget> readFile(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        List<String> problems = new ArrayList<>();
        List<MetricsTarget> out = new ArrayList<>();
        JsonNode list = root == null ? null : root.path("targets");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(file + ": expected 'targets:' with a list of instances");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String at = file.getFileName() + ": targets[" + i + "]";
            n.fieldNames().forEachRemaining(k -> {
                if (!KEYS.contains(k)) {
                    problems.add(at + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
                }
            });
            String id = n.path("id").asText("");
            if (id.isBlank()) {
                problems.add(at + ": 'id' is required");
            }
            Engine engine = null;
            for (Engine e : Engine.values()) {
                if (e.name().equalsIgnoreCase(n.path("engine").asText(""))) {
                    engine = e;
                }
            }
            if (engine == null) {
                problems.add(at + ": 'engine' must be mysql, mariadb, redis or mongo, got '" + n.path("engine").asText("") + "'");
            }
            String host = n.path("host").asText("");
            if (host.isBlank()) {
                problems.add(at + ": 'host' is required");
            }
            int port = n.path("port").asInt(-1);
            if (port <= 0 || port > 65535) {
                problems.add(at + ": 'port' must be 1-65535, got '" + n.path("port").asText("") + "'");
            }
            Duration interval = null;
            if (n.hasNonNull("interval")) {
                interval = interval(n.get("interval").asText());
                if (interval == null) {
                    problems.add(at + ": 'interval' must be a duration of at least 1s (e.g. 10s, 1m), got '" + n.get("interval").asText() + "'");
                }
            }
            if (engine != null && !id.isBlank() && !host.isBlank() && port > 0) {
                out.add(new MetricsTarget(new InstanceRef(id, engine, text(n, "cluster"), n.path("server").asText(host), port,
                        text(n, "business_line")), host, port, text(n, "role"), text(n, "credential"), interval));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n  ", problems));
        }
        return out;
    }

    /** "30s", "2m", "1h" or whole seconds; null when not a duration of at least a second. */
    static Duration interval(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(s|m|h)?").matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = "m".equals(m.group(2)) ? Duration.ofMinutes(n) : "h".equals(m.group(2)) ? Duration.ofHours(n) : Duration.ofSeconds(n);
        return d.isZero() ? null : d;
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }

    @Override
    public synchronized List<MetricsTarget> get() {
        if (db == null || (loaded && clock.millis() - loadedAt < refresh.toMillis())) {
            return cached;
        }
        try {
            Map<String, MetricsTarget> all = new LinkedHashMap<>();
            fromFile.forEach(t -> all.put(t.id(), t));
            Map<String, String> addresses = db.inventory().serverAddresses();
            for (InventoryInstance i : db.inventory().instances()) {
                if ("active".equals(i.status().toLowerCase(Locale.ROOT))) {
                    all.put(i.id(), new MetricsTarget(i.ref(), addresses.getOrDefault(i.server(), i.server()), i.port(), i.role(),
                            i.credentialRef()));
                }
            }
            cached = List.copyOf(all.values());
            loaded = true;
            loadedAt = clock.millis();
        } catch (Exception e) {
            LOG.warn("cannot read the inventory, keeping {} known targets: {}", cached.size(), e.toString());
            loadedAt = clock.millis();
            loaded = true;
        }
        return cached;
    }
}
