package io.dbops.collectors.metrics;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.connection.ClusterConnectionMode;
import io.dbops.events.MetricSample;
import io.dbops.events.SlowQuery;
import io.dbops.sql.MongoFingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * Polls a MongoDB server: {@code serverStatus} → {@code mongo_status} (opcounters, connections,
 * network, WiredTiger cache, global lock queue, asserts), {@code replSetGetStatus} →
 * {@code mongo_repl} (own state, members, healthy members, whether there is a primary, lag behind
 * it), {@code currentOp} → {@code mongo_currentop} (active and long operations), and new
 * {@code system.profile} documents of every database → {@code dbops.slowlog} with engine mongo and
 * the pt-mongodb-query-digest fingerprint. Tested here against a wire-level stand-in, not a real
 * mongod (none can be installed on this machine): see docs/metrics.md.
 */
public final class MongoPoller implements Poller {
    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "local", "config");
    private static final int PROFILE_BATCH = 1000;
    private final MetricsTarget target;
    private final MongoClient client;
    private final Consumer<SlowQuery> slowQueries;
    private final Map<String, Date> profiledUpTo = new HashMap<>();
    private final Instant started = Instant.now();

    public MongoPoller(MetricsTarget target, String user, String password, Timeouts timeouts, Consumer<SlowQuery> slowQueries) {
        this.target = target;
        this.slowQueries = slowQueries;
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applyToClusterSettings(c -> c.hosts(List.of(new ServerAddress(target.host(), target.port())))
                        .mode(ClusterConnectionMode.SINGLE)
                        .serverSelectionTimeout(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout((int) timeouts.connect().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) timeouts.read().toMillis(), TimeUnit.MILLISECONDS))
                .applicationName("dbops-metrics");
        if (user != null && password != null) {
            b.credential(MongoCredential.createCredential(user, "admin", password.toCharArray()));
        }
        this.client = MongoClients.create(b.build());
    }

    @Override
    public void ping() {
        client.getDatabase("admin").runCommand(new Document("ping", 1));
    }

    @Override
    public List<MetricSample> poll(Instant now) {
        MongoDatabase admin = client.getDatabase("admin");
        List<MetricSample> out = new ArrayList<>();
        out.add(Poller.sample(target, now, "mongo_status", null, MongoMetrics.serverStatus(admin.runCommand(new Document("serverStatus", 1)))));
        try {
            MongoMetrics.Repl repl = MongoMetrics.replSetStatus(admin.runCommand(new Document("replSetGetStatus", 1)));
            out.add(Poller.sample(target, now, "mongo_repl", repl.tags(), repl.fields()));
        } catch (MongoCommandException e) {
            // a standalone server has no replica set (NoReplicationEnabled / NotYetInitialized): nothing to report
            if (e.getErrorCode() != 76 && e.getErrorCode() != 94) {
                throw e;
            }
        }
        MongoMetrics.CurrentOp ops = MongoMetrics.currentOp(admin.runCommand(new Document("currentOp", 1).append("active", true)));
        out.add(Poller.sample(target, now, "mongo_currentop", ops.tags(), ops.fields()));
        readProfiles(now);
        return out;
    }

    /** New profiler documents since the last poll (the first poll starts at collector start-up, not at the beginning of history). */
    private void readProfiles(Instant now) {
        for (String name : client.listDatabaseNames()) {
            if (SYSTEM_DATABASES.contains(name)) {
                continue;
            }
            MongoDatabase db = client.getDatabase(name);
            Date after = profiledUpTo.getOrDefault(name, Date.from(started));
            Date newest = after;
            for (Document d : db.getCollection("system.profile").find(Filters.gt("ts", after)).sort(Sorts.ascending("ts"))
                    .limit(PROFILE_BATCH)) {
                Date ts = d.getDate("ts");
                if (ts != null && ts.after(newest)) {
                    newest = ts;
                }
                slowQueries.accept(slowQuery(d, name));
            }
            profiledUpTo.put(name, newest);
        }
    }

    private SlowQuery slowQuery(Document d, String database) {
        MongoFingerprint fp = MongoFingerprint.of(d);
        Object body = d.get("command") != null ? d.get("command") : d.get("query");
        Date ts = d.getDate("ts");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("op", String.valueOf(d.get("op")));
        attributes.put("ns", String.valueOf(d.get("ns")));
        if (d.get("planSummary") != null) {
            attributes.put("planSummary", d.get("planSummary").toString());
        }
        if (d.get("keysExamined") instanceof Number n) {
            attributes.put("keysExamined", Long.toString(n.longValue()));
        }
        return new SlowQuery(SlowQuery.SCHEMA, ts == null ? Instant.now() : ts.toInstant(), target.instance(),
                body instanceof Document doc ? doc.toJson() : String.valueOf(body), fp.fingerprint(), fp.queryId(), database,
                d.getString("user"), d.getString("client"), null, number(d.get("millis"), 0) / 1000.0, null,
                longOrNull(d.get("nreturned")), longOrNull(d.get("docsExamined")),
                longOrNull(d.get("nModified") != null ? d.get("nModified") : d.get("ndeleted") != null ? d.get("ndeleted") : d.get("ninserted")),
                longOrNull(d.get("responseLength")), attributes, "mongo-profile:" + database + ":" + (ts == null ? "" : ts.getTime()));
    }

    private static double number(Object o, double fallback) {
        return o instanceof Number n ? n.doubleValue() : fallback;
    }

    private static Long longOrNull(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    @Override
    public void close() {
        client.close();
    }
}
