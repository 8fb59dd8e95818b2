package io.dbops.collectors.slowlog;

import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.sql.Fingerprinter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Slowlog;

/**
 * Reads Redis {@code SLOWLOG GET} incrementally by entry id into {@code dbops.slowlog} events
 * (engine redis). The fingerprint is the command with every argument abstracted
 * ({@code HGET ? ?}); ids that go backwards mean the server restarted or the log was reset, and
 * reading starts over.
 */
public final class RedisSlowlogReader {
    private static final int FETCH = 128;

    private RedisSlowlogReader() {
    }

    /** Entries newer than {@code afterId}, oldest first. */
    public static List<SlowQuery> read(Jedis jedis, InstanceRef instance, long afterId) {
        List<Slowlog> log = jedis.slowlogGet(FETCH);
        long newest = log.isEmpty() ? -1 : log.get(0).getId();
        long after = newest < afterId ? -1 : afterId; // reset or restart: ids start again from 0
        List<SlowQuery> out = new ArrayList<>();
        for (int i = log.size() - 1; i >= 0; i--) {
            Slowlog s = log.get(i);
            if (s.getId() <= after) {
                continue;
            }
            List<String> args = s.getArgs();
            String command = args.isEmpty() ? "" : args.get(0).toUpperCase(Locale.ROOT);
            StringBuilder fp = new StringBuilder(command);
            for (int a = 1; a < args.size(); a++) {
                fp.append(" ?");
            }
            String fingerprint = fp.toString();
            out.add(new SlowQuery(SlowQuery.SCHEMA, Instant.ofEpochSecond(s.getTimeStamp()), instance,
                    String.join(" ", args), fingerprint, Fingerprinter.queryId(fingerprint), null, null,
                    s.getClientIpPort() == null ? null : s.getClientIpPort().toString(), null,
                    s.getExecutionTime() / 1_000_000.0, null, null, null, null, null,
                    Map.of("slowlog_id", Long.toString(s.getId()), "client_name", String.valueOf(s.getClientName())),
                    "redis-slowlog:" + s.getId()));
        }
        return out;
    }
}
