package io.dbops.mlmodels.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic placement history from a realistic DBA policy, so a new install (and the tests) has
 * something to learn from. A fixed fleet of 3 data centres × 12 racks × 20 servers of five
 * hardware generations; each decision draws a request (MySQL/MariaDB, Redis or MongoDB; primary,
 * replica or standalone; memory and disk by engine), a server's state at that moment for 12-40
 * candidates of one data centre, and the DBA's pick among the servers the hard rules allow:
 * <ul>
 *   <li>memory left after placement counts most for Redis, IO load most for MySQL;</li>
 *   <li>hot CPUs, crowded boxes, many instances of the same business line, another member of the
 *       set in the same rack, and nearly full disks count against a server;</li>
 *   <li>habits: new primaries on newer hardware, the oldest generation avoided, one vendor
 *       favoured for Redis;</li>
 *   <li>a little unexplained preference (Gumbel noise), as real DBAs have.</li>
 * </ul>
 * Utilisation figures are missing (null) in a few decisions, as when metrics were unavailable.
 * The same seed gives the same history.
 */
public final class PlacementGenerator {
    /** A hardware class: name, memory and disk, generation (higher is newer). */
    record Hardware(String name, double memGb, double diskGb, int generation) {
    }

    static final List<Hardware> HARDWARE = List.of(
            new Hardware("hp-dl380-g9", 128, 3600, 1),
            new Hardware("dell-r730", 256, 4800, 2),
            new Hardware("dell-r740", 384, 7680, 3),
            new Hardware("inspur-nf5280m6", 512, 7680, 4),
            new Hardware("dell-r750", 512, 15360, 4));
    static final List<String> BUSINESS = List.of("housing", "recruit", "used-cars", "yellow-pages", "finance", "ads", "im", "search",
            "payments", "local-services");
    static final String[] DCS = {"bj1", "bj2", "sh1"};
    static final int RACKS = 12;
    static final int PER_RACK = 20;
    /** Scale of the DBAs' unexplained preference. */
    static final double NOISE = 0.02;

    private PlacementGenerator() {
    }

    public static List<Decision> generate(long seed, int decisions) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Decision> out = new ArrayList<>(decisions);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        int attempts = 0;
        while (out.size() < decisions) {
            if (++attempts > decisions * 20 + 100) {
                throw new IllegalStateException("cannot generate feasible decisions");
            }
            Decision d = decision(rnd, "req-" + seed + "-" + (out.size() + 1), start.plusSeconds(out.size() * 1800L).toString());
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private static Decision decision(SplittableRandom rnd, String id, String at) {
        PlacementRequest req = request(rnd, id);
        int dc = rnd.nextInt(DCS.length);
        int n = 12 + rnd.nextInt(29);
        boolean metricsKnown = rnd.nextDouble() >= 0.04;
        List<ServerCandidate> candidates = new ArrayList<>(n);
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        while (candidates.size() < n) {
            int slot = rnd.nextInt(RACKS * PER_RACK);
            if (taken.add(slot)) {
                candidates.add(server(rnd, req, dc, slot, metricsKnown));
            }
        }
        List<ServerCandidate> feasible = HardConstraints.DEFAULT.feasible(req, candidates);
        if (feasible.isEmpty()) {
            return null;
        }
        ServerCandidate best = null;
        double bestU = Double.NEGATIVE_INFINITY;
        for (ServerCandidate c : feasible) {
            double u = utility(req, c) + NOISE * -Math.log(-Math.log(rnd.nextDouble(1e-12, 1.0)));
            if (u > bestU) {
                bestU = u;
                best = c;
            }
        }
        return new Decision(req, candidates, best.server(), "dba", at, null);
    }

    private static PlacementRequest request(SplittableRandom rnd, String id) {
        double e = rnd.nextDouble();
        String engine;
        double mem;
        double disk;
        if (e < 0.5) {
            engine = rnd.nextBoolean() ? "mysql" : "mariadb";
            mem = pick(rnd, 8, 16, 32, 64);
            disk = mem * (5 + rnd.nextInt(26));
        } else if (e < 0.8) {
            engine = "redis";
            mem = pick(rnd, 4, 8, 16, 32);
            disk = mem * 2;
        } else {
            engine = "mongodb";
            mem = pick(rnd, 16, 32, 64);
            disk = mem * (10 + rnd.nextInt(31));
        }
        String business = BUSINESS.get(rnd.nextInt(BUSINESS.size()));
        double r = rnd.nextDouble();
        String role = r < 0.45 ? "primary" : r < 0.9 ? "replica" : "standalone";
        String cluster = role.equals("standalone") ? null : business + "-" + engine + "-" + rnd.nextInt(400);
        return new PlacementRequest(id, engine, mem, disk, business, cluster, role);
    }

    private static ServerCandidate server(SplittableRandom rnd, PlacementRequest req, int dc, int slot, boolean metricsKnown) {
        int rack = slot / PER_RACK;
        // a server's hardware is fixed: older generations sit in the lower racks
        Hardware hw = HARDWARE.get(Math.floorMod((rack * 7 + slot * 3 + dc) % 11, HARDWARE.size()));
        double used = clamp(0.55 + rnd.nextGaussian() * 0.25, 0.02, 0.99);
        double memFree = round1(hw.memGb() * (1 - used));
        int instances = (int) Math.max(0, Math.round(hw.memGb() * used / 24 + rnd.nextGaussian() * 1.5));
        double cpu = clamp(0.1 + 0.5 * used + rnd.nextGaussian() * 0.15, 0.01, 0.99);
        double io = clamp(0.35 + rnd.nextGaussian() * 0.2 + 0.01 * instances, 0.01, 0.99);
        double diskFree = round1(hw.diskGb() * (1 - clamp(0.5 + rnd.nextGaussian() * 0.25, 0.02, 0.995)));
        int sameBusiness = 0;
        for (int i = 0; i < instances; i++) {
            if (rnd.nextDouble() < 0.12) {
                sameBusiness++;
            }
        }
        int onHost = 0;
        int inRack = 0;
        if ("replica".equals(req.role())) {
            onHost = rnd.nextDouble() < 0.08 ? 1 : 0;
            inRack = onHost + (rnd.nextDouble() < 0.2 ? 1 : 0);
        }
        String name = String.format("%s-r%02d-db%03d", DCS[dc], rack + 1, slot + 1);
        return new ServerCandidate(name, DCS[dc] + "-r" + String.format("%02d", rack + 1), DCS[dc],
                metricsKnown ? round3(cpu) : Double.NaN, hw.memGb(), memFree, diskFree, metricsKnown ? round3(io) : Double.NaN,
                instances, Math.min(sameBusiness, instances), onHost, inRack, hw.name(), rnd.nextDouble() < 0.03);
    }

    /** The DBAs' policy (without their unexplained part). */
    static double utility(PlacementRequest req, ServerCandidate c) {
        String family = req.engineFamily();
        double wMem = family.equals("redis") ? 3.0 : family.equals("mysql") ? 1.2 : 2.0;
        double wIo = family.equals("redis") ? 0.8 : family.equals("mysql") ? 3.5 : 2.5;
        double io = Double.isNaN(c.ioUtil()) ? 0.5 : c.ioUtil();
        double cpu = Double.isNaN(c.cpuUtil()) ? 0.5 : c.cpuUtil();
        int generation = HARDWARE.stream().filter(h -> h.name().equals(c.hardware())).findFirst().map(Hardware::generation).orElse(2);
        double u = wMem * (c.memFreeGb() - req.memoryGb()) / c.memTotalGb()
                - wIo * io * io
                - 3.0 * Math.max(0, cpu - 0.55)
                - 0.06 * c.instances()
                - 0.3 * c.sameBusinessInstances()
                - 1.5 * c.sameClusterInRack()
                - 0.5 * Math.max(0, req.diskGb() / c.diskFreeGb() - 0.5);
        if (req.isPrimary()) {
            u += 0.25 * (generation - 2.5);
        }
        if (generation == 1) {
            u -= 0.4;
        }
        if (family.equals("redis") && c.hardware().startsWith("inspur")) {
            u += 0.3;
        }
        return u;
    }

    private static double pick(SplittableRandom rnd, double... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
