package io.dbops.collectors.metrics;

import io.dbops.events.MetricSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Polls a Redis server ({@code INFO all} → {@code redis_info} and {@code redis_keyspace} per db,
 * {@code LATENCY LATEST} → {@code redis_latency}) or a Sentinel ({@code SENTINEL MASTERS} →
 * {@code redis_sentinel} per master). Liveness is {@code PING} on its own connection.
 */
public final class RedisPoller implements Poller {
    private final MetricsTarget target;
    private final String password;
    private final Timeouts timeouts;
    private final boolean sentinel;
    private final Connections<Jedis> connections = new Connections<>(this::connect, Jedis::disconnect);

    public RedisPoller(MetricsTarget target, String password, Timeouts timeouts) {
        this.target = target;
        this.password = password;
        this.timeouts = timeouts;
        this.sentinel = "sentinel".equals(target.role());
    }

    private Jedis connect() {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .connectionTimeoutMillis((int) timeouts.connect().toMillis())
                .socketTimeoutMillis((int) timeouts.read().toMillis())
                .clientName("dbops-metrics");
        if (password != null) {
            b.password(password);
        }
        Jedis j = new Jedis(new HostAndPort(target.host(), target.port()), b.build());
        j.connect();
        return j;
    }

    @Override
    public void ping() throws Exception {
        connections.live(Jedis::ping);
    }

    @Override
    public List<MetricSample> poll(Instant now) throws Exception {
        return connections.poll(j -> sentinel ? sentinel(j, now) : server(j, now));
    }

    private List<MetricSample> server(Jedis j, Instant now) {
        List<MetricSample> out = new ArrayList<>();
        RedisMetrics.Info info = RedisMetrics.info(j.info("all"));
        out.add(Poller.sample(target, now, "redis_info", null, info.fields()));
        info.keyspace().forEach((db, fields) -> out.add(Poller.sample(target, now, "redis_keyspace", Map.of("db", db), fields)));
        List<RedisMetrics.LatencyEvent> events = new ArrayList<>();
        Object reply = j.sendCommand(Protocol.Command.LATENCY, "LATEST");
        if (reply instanceof List<?> rows) {
            for (Object row : rows) {
                if (row instanceof List<?> r && r.size() >= 4) {
                    events.add(new RedisMetrics.LatencyEvent(SafeEncoder.encode((byte[]) r.get(0)), (Long) r.get(1), (Long) r.get(2),
                            (Long) r.get(3)));
                }
            }
        }
        out.add(Poller.sample(target, now, "redis_latency", null, RedisMetrics.latency(events, now.getEpochSecond(), 60)));
        return out;
    }

    private List<MetricSample> sentinel(Jedis j, Instant now) {
        List<MetricSample> out = new ArrayList<>();
        for (Map<String, String> m : j.sentinelMasters()) {
            RedisMetrics.SentinelMaster s = RedisMetrics.sentinelMaster(m);
            Map<String, Double> fields = new LinkedHashMap<>(s.fields());
            fields.put("replicas_listed", (double) j.sentinelReplicas(m.get("name")).size());
            out.add(Poller.sample(target, now, "redis_sentinel", s.tags(), fields));
        }
        return out;
    }

    @Override
    public void close() {
        connections.close();
    }
}
