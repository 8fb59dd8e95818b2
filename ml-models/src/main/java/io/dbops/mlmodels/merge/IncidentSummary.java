package io.dbops.mlmodels.merge;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an incident says about itself: the root-cause candidate, its severity, what it touches and
 * a one-line title. The root-cause candidate is the most upstream alarm (a host-level alarm before
 * an instance's, a primary before a replica), then the most severe, then the earliest: when a host
 * dies its own alarm explains the instances, and a dead primary explains its replicas.
 */
public record IncidentSummary(AlarmPoint rootCause, int severity, Set<String> instances, Set<String> hosts, Set<String> clusters,
                              Set<String> businessLines, String title) {

    static final Comparator<AlarmPoint> UPSTREAM_FIRST = (a, b) -> {
        int c = Integer.compare(rank(a), rank(b));
        if (c == 0) {
            c = Integer.compare(b.severity(), a.severity());
        }
        if (c == 0) {
            c = Long.compare(a.ts(), b.ts());
        }
        return c != 0 ? c : a.id().compareTo(b.id());
    };

    private static int rank(AlarmPoint a) {
        Location l = a.location();
        if (l.instance() == null) {
            return 0;
        }
        return "primary".equals(l.role()) || "master".equals(l.role()) ? 1 : 2;
    }

    public static IncidentSummary of(List<AlarmPoint> members) {
        AlarmPoint root = members.stream().min(UPSTREAM_FIRST).orElseThrow();
        int severity = members.stream().mapToInt(AlarmPoint::severity).max().orElse(1);
        Set<String> instances = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        Set<String> clusters = new TreeSet<>();
        Set<String> business = new TreeSet<>();
        for (AlarmPoint m : members) {
            Location l = m.location();
            add(instances, l.instance());
            add(hosts, l.host());
            add(clusters, l.cluster());
            add(business, l.business());
        }
        Location r = root.location();
        String subject = r.instance() != null ? r.instance() : "host " + r.host();
        StringBuilder title = new StringBuilder(subject).append(' ').append(root.type().replace('_', ' '));
        int others = members.size() - 1;
        if (others > 0) {
            title.append(String.format(Locale.ROOT, ": %d alarm%s on %d instance%s", members.size(), members.size() == 1 ? "" : "s",
                    instances.size(), instances.size() == 1 ? "" : "s"));
            if (clusters.size() > 1) {
                title.append(String.format(Locale.ROOT, " in %d clusters", clusters.size()));
            }
            if (hosts.size() > 1) {
                title.append(String.format(Locale.ROOT, " across %d hosts", hosts.size()));
            }
        }
        return new IncidentSummary(root, severity, instances, hosts, clusters, business, title.toString());
    }

    private static void add(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }
}
