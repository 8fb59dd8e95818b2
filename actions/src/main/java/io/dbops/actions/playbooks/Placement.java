package io.dbops.actions.playbooks;

import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a new instance may go and in which order the provisioning playbooks prefer the servers:
 * hard rules first (not in maintenance, the port free), then a server holding no member of the
 * same set, then the fewest instances. The self-service form shows this list before a request is
 * filed; the playbook's {@code select_server} step takes its first feasible entry. (The learned
 * ranker of issue 9 replaces the order, never the hard rules.)
 */
public final class Placement {
    private Placement() {
    }

    /** One server as the placement sees it; {@code reason} says why it is not feasible, or what counts against it. */
    public record Candidate(String server, String address, String rack, boolean feasible, long instances, boolean holdsSetMember,
                            String reason) {
    }

    /**
     * Every server ranked for a new instance {@code newId} on {@code port} joining {@code cluster}
     * (null: none), restricted to {@code only} when not null. Feasible servers come first.
     */
    public static List<Candidate> rank(List<InventoryServer> servers, List<InventoryInstance> all, String cluster, int port,
                                       String only, String newId) {
        Map<String, Long> load = new LinkedHashMap<>();
        for (InventoryInstance i : all) {
            if (!"decommissioned".equals(i.status())) {
                load.merge(i.server(), 1L, Long::sum);
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (InventoryServer s : servers) {
            if (only != null && !s.name().equals(only)) {
                continue;
            }
            boolean portTaken = all.stream().anyMatch(i -> i.server().equals(s.name()) && i.port() == port && !i.id().equals(newId)
                    && !"decommissioned".equals(i.status()));
            boolean member = cluster != null && all.stream().anyMatch(i -> cluster.equals(i.cluster()) && i.server().equals(s.name())
                    && !"decommissioned".equals(i.status()));
            long n = load.getOrDefault(s.name(), 0L);
            String reason = s.maintenance() ? "in maintenance" : portTaken ? "port " + port + " taken"
                    : member ? "already holds a member of " + cluster : n + " instances";
            out.add(new Candidate(s.name(), s.address(), s.rack(), !s.maintenance() && !portTaken, n, member, reason));
        }
        out.sort(Comparator.comparing((Candidate c) -> !c.feasible())
                .thenComparing(Candidate::holdsSetMember)
                .thenComparingLong(Candidate::instances)
                .thenComparing(Candidate::server));
        return out;
    }
}
