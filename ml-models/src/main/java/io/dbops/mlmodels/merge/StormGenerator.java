package io.dbops.mlmodels.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic alarm storms with ground truth, for evaluating the merger: a fleet (dcs, racks, hosts;
 * MySQL, Redis and Mongo replica sets spread over hosts of different racks; business lines), faults
 * that propagate along the topology with jittered delays (host down, rack switch failure, slow
 * disk, primary overload with replica lag, Redis memory pressure, Mongo election), independent
 * background alarms and flapping alarms. Some expected alarms are randomly missing, as in life.
 * Deterministic for a seed.
 */
public final class StormGenerator {
    /** The fleet's size, the storm's density and its length. */
    public record Settings(long seed, int dcs, int racksPerDc, int hostsPerRack, int mysqlClusters, int redisClusters, int mongoSets,
                           double faultsPerHour, double backgroundPerHour, double flappersPerHour, long durationMs) {
        public static Settings of(long seed, double faultsPerHour, double backgroundPerHour) {
            return new Settings(seed, 2, 6, 8, 60, 30, 20, faultsPerHour, backgroundPerHour, backgroundPerHour / 10, 7_200_000L);
        }
    }

    /** One generated alarm: instance alarms have an instance; host-level ones only a host. */
    public record Alarm(String id, long ts, String instance, String host, String type, String severity) {
    }

    /** The topology, the alarms sorted by time, and the incident each alarm truly belongs to. */
    public record Output(Topology topology, List<Alarm> alarms, Map<String, String> truth) {
    }

    private static final String[] BUSINESS = {"trade", "search", "ads", "user", "pay"};
    private static final String[] BACKGROUND_TYPES = {"long_query", "deadlocks", "connections_near_max", "long_transaction",
        "buffer_pool_hit_ratio_low", "slow_query_new", "redis_rejected_connections", "disk_full_soon", "redis_evictions",
        "mongo_cache_pressure"};

    private final Settings s;
    private final Random r;
    private final Map<String, Topology.Host> hosts = new LinkedHashMap<>();
    private final Map<String, Topology.Instance> instances = new LinkedHashMap<>();
    private final Map<String, List<Topology.Instance>> clusters = new LinkedHashMap<>();
    private final List<Alarm> alarms = new ArrayList<>();
    private final Map<String, String> truth = new LinkedHashMap<>();
    private int alarmSeq;
    private int incidentSeq;

    private StormGenerator(Settings s) {
        this.s = s;
        this.r = new Random(s.seed());
    }

    public static Output generate(Settings s) {
        StormGenerator g = new StormGenerator(s);
        g.fleet();
        g.storms();
        g.alarms.sort(Comparator.comparingLong(Alarm::ts).thenComparing(Alarm::id));
        return new Output(new Topology(g.hosts, g.instances), List.copyOf(g.alarms), g.truth);
    }

    private void fleet() {
        List<String> hostNames = new ArrayList<>();
        for (int dc = 0; dc < s.dcs(); dc++) {
            for (int rack = 0; rack < s.racksPerDc(); rack++) {
                for (int h = 0; h < s.hostsPerRack(); h++) {
                    String name = "db-" + dc + String.format("%02d%02d", rack, h);
                    hosts.put(name, new Topology.Host(name, "dc" + dc + "-r" + rack, "dc" + dc));
                    hostNames.add(name);
                }
            }
        }
        cluster("mysql", s.mysqlClusters(), 3, 3306);
        cluster("redis", s.redisClusters(), 2, 6379);
        cluster("mongo", s.mongoSets(), 3, 27017);
    }

    private void cluster(String engine, int count, int members, int port) {
        List<String> names = new ArrayList<>(hosts.keySet());
        for (int c = 0; c < count; c++) {
            String cluster = engine + "-" + c;
            String business = BUSINESS[r.nextInt(BUSINESS.length)];
            int dc = r.nextInt(s.dcs());
            List<Topology.Instance> list = new ArrayList<>();
            List<String> usedRacks = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                String host;
                int tries = 0;
                do {
                    host = names.get(r.nextInt(names.size()));
                    tries++;
                    // replica sets spread over racks of one dc (sometimes a member in another dc)
                } while (tries < 50 && (usedRacks.contains(hosts.get(host).rack()) || (!hosts.get(host).dc().equals("dc" + dc) && r.nextDouble() < 0.9)));
                usedRacks.add(hosts.get(host).rack());
                Topology.Host h = hosts.get(host);
                String id = cluster + "-" + m;
                Topology.Instance i = new Topology.Instance(id, engine, host, h.rack(), h.dc(), cluster, business,
                        m == 0 ? "primary" : "replica", port + c);
                instances.put(id, i);
                list.add(i);
            }
            clusters.put(cluster, list);
        }
    }

    private void storms() {
        double hours = s.durationMs() / 3_600_000.0;
        int faults = poisson(s.faultsPerHour() * hours);
        for (int f = 0; f < faults; f++) {
            long t0 = (long) (r.nextDouble() * s.durationMs());
            String incident = "t-" + incidentSeq++;
            switch (r.nextInt(6)) {
                case 0 -> hostDown(pickHost(), t0, incident);
                case 1 -> rackDown(t0, incident);
                case 2 -> slowDisk(pickHost(), t0, incident);
                case 3 -> overload(t0, incident);
                case 4 -> redisMemory(t0, incident);
                default -> election(t0, incident);
            }
        }
        int background = poisson(s.backgroundPerHour() * hours);
        List<Topology.Instance> all = new ArrayList<>(instances.values());
        for (int b = 0; b < background; b++) {
            Topology.Instance i = all.get(r.nextInt(all.size()));
            emit(i.id(), i.host(), BACKGROUND_TYPES[r.nextInt(BACKGROUND_TYPES.length)], "warning", (long) (r.nextDouble() * s.durationMs()),
                    "t-" + incidentSeq++, 1.0);
        }
        int flappers = poisson(s.flappersPerHour() * hours);
        for (int f = 0; f < flappers; f++) {
            Topology.Instance i = all.get(r.nextInt(all.size()));
            String type = BACKGROUND_TYPES[r.nextInt(BACKGROUND_TYPES.length)];
            String incident = "t-" + incidentSeq++;
            long t = (long) (r.nextDouble() * s.durationMs());
            int times = 3 + r.nextInt(4);
            for (int k = 0; k < times; k++) {
                emit(i.id(), i.host(), type, "warning", t, incident, 1.0);
                t += 60_000 + r.nextInt(120_000);
            }
        }
    }

    private String pickHost() {
        List<String> names = new ArrayList<>(hosts.keySet());
        // faults hit hosts that carry instances
        for (int k = 0; k < 100; k++) {
            String h = names.get(r.nextInt(names.size()));
            for (Topology.Instance i : instances.values()) {
                if (i.host().equals(h)) {
                    return h;
                }
            }
        }
        return names.get(0);
    }

    private void hostDown(String host, long t0, String incident) {
        emit(null, host, "host_unreachable", "critical", t0 + r.nextInt(10_000), incident, 1.0);
        for (Topology.Instance i : onHost(host)) {
            emit(i.id(), host, i.engine() + "_down", "critical", t0 + 3_000 + r.nextInt(30_000), incident, 0.95);
            if ("primary".equals(i.role())) {
                for (Topology.Instance m : clusters.get(i.cluster())) {
                    if (m != i) {
                        String type = switch (i.engine()) {
                            case "mysql" -> "replication_broken";
                            case "redis" -> "redis_master_link_down";
                            default -> "mongo_no_primary";
                        };
                        emit(m.id(), m.host(), type, "critical", t0 + 10_000 + r.nextInt(60_000), incident, 0.9);
                        if (i.engine().equals("mongo")) {
                            emit(m.id(), m.host(), "mongo_member_state_change", "info", t0 + 15_000 + r.nextInt(60_000), incident, 0.8);
                        }
                        if (i.engine().equals("redis")) {
                            emit(m.id(), m.host(), "redis_failover", "info", t0 + 20_000 + r.nextInt(40_000), incident, 0.7);
                        }
                    }
                }
            }
        }
    }

    private void rackDown(long t0, String incident) {
        String rack = hosts.get(pickHost()).rack();
        emit(null, hostsIn(rack).get(0), "switch_unreachable", "critical", t0 + r.nextInt(5_000), incident, 0.8);
        for (String h : hostsIn(rack)) {
            hostDown(h, t0 + r.nextInt(5_000), incident);
        }
    }

    private void slowDisk(String host, long t0, String incident) {
        emit(null, host, "disk_latency_high", "warning", t0 + r.nextInt(20_000), incident, 1.0);
        for (Topology.Instance i : onHost(host)) {
            long t = t0 + 10_000 + r.nextInt(90_000);
            switch (i.engine()) {
                case "mysql" -> {
                    emit(i.id(), host, "slow_query_burst", "warning", t, incident, 0.8);
                    if ("replica".equals(i.role())) {
                        emit(i.id(), host, "replication_lag", "warning", t + r.nextInt(30_000), incident, 0.8);
                    } else {
                        emit(i.id(), host, "threads_running_high", "warning", t + r.nextInt(30_000), incident, 0.7);
                    }
                }
                case "redis" -> emit(i.id(), host, "redis_latency_high", "warning", t, incident, 0.8);
                default -> emit(i.id(), host, "mongo_replication_lag", "warning", t, incident, 0.7);
            }
        }
    }

    private void overload(long t0, String incident) {
        List<Topology.Instance> c = clusters.get("mysql-" + r.nextInt(s.mysqlClusters()));
        Topology.Instance p = c.get(0);
        emit(p.id(), p.host(), "threads_running_high", "warning", t0 + r.nextInt(10_000), incident, 1.0);
        emit(p.id(), p.host(), "slow_query_burst", "warning", t0 + r.nextInt(40_000), incident, 0.9);
        emit(p.id(), p.host(), "connections_near_max", "warning", t0 + 20_000 + r.nextInt(60_000), incident, 0.6);
        for (Topology.Instance m : c.subList(1, c.size())) {
            emit(m.id(), m.host(), "replication_lag", "warning", t0 + 30_000 + r.nextInt(90_000), incident, 0.9);
        }
    }

    private void redisMemory(long t0, String incident) {
        List<Topology.Instance> c = clusters.get("redis-" + r.nextInt(s.redisClusters()));
        Topology.Instance p = c.get(0);
        emit(p.id(), p.host(), "redis_memory_near_max", "warning", t0 + r.nextInt(10_000), incident, 1.0);
        emit(p.id(), p.host(), "redis_evictions", "warning", t0 + 30_000 + r.nextInt(60_000), incident, 0.9);
        emit(p.id(), p.host(), "redis_latency_high", "warning", t0 + 30_000 + r.nextInt(90_000), incident, 0.6);
        for (Topology.Instance m : c.subList(1, c.size())) {
            emit(m.id(), m.host(), "redis_memory_near_max", "warning", t0 + 5_000 + r.nextInt(30_000), incident, 0.9);
        }
    }

    private void election(long t0, String incident) {
        List<Topology.Instance> c = clusters.get("mongo-" + r.nextInt(s.mongoSets()));
        for (Topology.Instance m : c) {
            emit(m.id(), m.host(), "mongo_member_state_change", "info", t0 + r.nextInt(20_000), incident, 0.95);
            if (!"primary".equals(m.role())) {
                emit(m.id(), m.host(), "mongo_no_primary", "critical", t0 + r.nextInt(15_000), incident, 0.7);
            }
        }
        Topology.Instance lagging = c.get(1 + r.nextInt(c.size() - 1));
        emit(lagging.id(), lagging.host(), "mongo_replication_lag", "warning", t0 + 20_000 + r.nextInt(60_000), incident, 0.6);
    }

    private List<Topology.Instance> onHost(String host) {
        List<Topology.Instance> out = new ArrayList<>();
        for (Topology.Instance i : instances.values()) {
            if (i.host().equals(host)) {
                out.add(i);
            }
        }
        return out;
    }

    private List<String> hostsIn(String rack) {
        List<String> out = new ArrayList<>();
        for (Topology.Host h : hosts.values()) {
            if (h.rack().equals(rack)) {
                out.add(h.host());
            }
        }
        return out;
    }

    private void emit(String instance, String host, String type, String severity, long ts, String incident, double probability) {
        if (r.nextDouble() >= probability || ts >= s.durationMs() + 600_000) {
            return;
        }
        String id = "a-" + s.seed() + "-" + alarmSeq++;
        alarms.add(new Alarm(id, ts, instance, instance == null ? host : null, type, severity));
        truth.put(id, incident);
    }

    private int poisson(double mean) {
        // a sum of exponential gaps: exact for the small means used here
        int n = 0;
        double t = r.nextDouble() == 0 ? 0 : -Math.log(r.nextDouble());
        while (t < mean) {
            n++;
            t += -Math.log(1 - r.nextDouble());
        }
        return n;
    }
}
