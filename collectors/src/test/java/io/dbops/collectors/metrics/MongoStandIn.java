package io.dbops.collectors.metrics;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.List;

/**
 * A MongoDB stand-in on the real wire protocol (mongo-java-server): no mongod can be installed on
 * this machine. It answers {@code serverStatus}, {@code replSetGetStatus} and {@code currentOp}
 * with documents shaped like MongoDB 6's (field names and nesting as a real server sends them);
 * everything else (CRUD, listDatabases, system.profile reads) is the in-memory backend's.
 */
final class MongoStandIn implements AutoCloseable {
    private final MongoServer server;
    volatile boolean primary = true;
    volatile long secondaryLagSeconds = 7;

    MongoStandIn() {
        server = new MongoServer(new MemoryBackend() {
            @Override
            public Document handleCommand(Channel channel, String database, String command, Document query) {
                return switch (command) {
                    case "serverStatus" -> serverStatus();
                    case "replSetGetStatus" -> replSetStatus();
                    case "currentOp" -> currentOp();
                    case "find" -> "system.profile".equals(query.get("find")) ? profile(database, query)
                            : super.handleCommand(channel, database, command, query);
                    default -> super.handleCommand(channel, database, command, query);
                };
            }
        });
        server.bind("127.0.0.1", 0);
    }

    /** What the profiler wrote, per database (the backend refuses writes to system collections). */
    private final java.util.Map<String, List<Document>> profiles = new java.util.concurrent.ConcurrentHashMap<>();

    /** Adds a profiler document (a driver document, e.g. parsed from the conformance files). */
    void profile(String database, org.bson.Document d) {
        profiles.computeIfAbsent(database, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add((Document) convert(d));
    }

    private static Object convert(Object o) {
        if (o instanceof java.util.Map<?, ?> m) {
            Document d = new Document();
            m.forEach((k, v) -> d.put(k.toString(), convert(v)));
            return d;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(MongoStandIn::convert).toList();
        }
        if (o instanceof java.util.Date date) {
            return date.toInstant();
        }
        return o;
    }

    /** {@code find} on system.profile with the poller's {@code ts > X} filter, sorted by ts, limited. */
    private Document profile(String database, Document query) {
        Object filter = query.get("filter");
        Instant after = Instant.EPOCH;
        if (filter instanceof Document f && f.get("ts") instanceof Document ts && ts.get("$gt") instanceof Instant i) {
            after = i;
        }
        Instant from = after;
        int limit = query.get("limit") instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
        List<Document> batch = profiles.getOrDefault(database, List.of()).stream()
                .filter(d -> d.get("ts") instanceof Instant t && t.isAfter(from))
                .sorted(java.util.Comparator.comparing(d -> (Instant) d.get("ts")))
                .limit(limit).toList();
        return doc("cursor", doc("id", 0L, "ns", database + ".system.profile", "firstBatch", batch), "ok", 1.0);
    }

    int port() {
        return server.getLocalAddress().getPort();
    }

    private static Document doc(Object... kv) {
        Document d = new Document();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    private Document serverStatus() {
        return doc("host", "mongo-1:27017", "version", "6.0.13", "process", "mongod", "uptime", 86_400.0,
                "asserts", doc("regular", 0, "warning", 0, "msg", 0, "user", 12, "rollovers", 0),
                "connections", doc("current", 25, "available", 51_175, "totalCreated", 310, "active", 4),
                "globalLock", doc("totalTime", 86_400_000_000L, "currentQueue", doc("total", 3, "readers", 1, "writers", 2),
                        "activeClients", doc("total", 9, "readers", 4, "writers", 5)),
                "mem", doc("bits", 64, "resident", 1_532, "virtual", 3_310, "supported", true),
                "network", doc("bytesIn", 123_456_789L, "bytesOut", 987_654_321L, "numRequests", 4_567_890L),
                "opcounters", doc("insert", 1_000L, "query", 50_000L, "update", 2_000L, "delete", 100L, "getmore", 300L, "command", 90_000L),
                "repl", doc("setName", "rs0", "isWritablePrimary", primary, "secondary", !primary, "hosts",
                        List.of("mongo-1:27017", "mongo-2:27017", "mongo-3:27017")),
                "wiredTiger", doc("cache", doc("bytes currently in the cache", 7_900_000_000L, "maximum bytes configured", 8_000_000_000L,
                        "tracked dirty bytes in the cache", 120_000_000L, "pages evicted by application threads", 42L)),
                "ok", 1.0);
    }

    private Document replSetStatus() {
        Instant now = Instant.now();
        return doc("set", "rs0", "date", now, "myState", primary ? 1 : 2, "term", 7L, "members", List.of(
                doc("_id", 0, "name", "mongo-1:27017", "health", 1.0, "state", primary ? 1 : 2, "stateStr", primary ? "PRIMARY" : "SECONDARY",
                        "optimeDate", now, "self", true),
                doc("_id", 1, "name", "mongo-2:27017", "health", 1.0, "state", 2, "stateStr", "SECONDARY",
                        "optimeDate", now.minusSeconds(secondaryLagSeconds)),
                doc("_id", 2, "name", "mongo-3:27017", "health", 0.0, "state", 8, "stateStr", "(not reachable/healthy)")),
                "ok", 1.0);
    }

    private Document currentOp() {
        return doc("inprog", List.of(
                doc("type", "op", "host", "mongo-1:27017", "desc", "conn52", "active", true, "opid", 4711, "secs_running", 95L,
                        "op", "query", "ns", "shop.orders", "command", doc("find", "orders", "filter", doc("state", "new"))),
                doc("type", "op", "desc", "conn60", "active", true, "opid", 4712, "secs_running", 2L, "op", "update", "ns", "shop.users"),
                doc("type", "op", "desc", "conn61", "active", false, "opid", 4713, "op", "none")),
                "ok", 1.0);
    }

    void shutdown() {
        server.shutdownNow();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
