package io.dbops.flinkjobs.merge;

import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import io.dbops.metadata.MetadataDb;
import io.dbops.mlmodels.merge.Topology;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the merge job's operators get the topology: a fixed one (tests, replays) or the metadata
 * inventory, re-read every {@code refreshMs} on a background thread so that new hosts and
 * instances count without a restart. While the inventory is unreachable the last topology stays.
 */
public final class TopologySource implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(TopologySource.class);
    private final String fixedJson;
    private final String url;
    private final String user;
    private final String password;
    private final long refreshMs;
    private transient volatile Topology current;
    private transient Thread refresher;

    private TopologySource(String fixedJson, String url, String user, String password, long refreshMs) {
        this.fixedJson = fixedJson;
        this.url = url;
        this.user = user;
        this.password = password;
        this.refreshMs = refreshMs;
    }

    public static TopologySource fixed(String topologyJson) {
        Topology.parse(topologyJson);
        return new TopologySource(topologyJson, null, null, null, 0);
    }

    public static TopologySource inventory(String url, String user, String password, long refreshMs) {
        return new TopologySource(null, url, user, password, refreshMs);
    }

    /** Loads the topology now and, from the inventory, keeps it fresh. */
    public synchronized void start() {
        if (current != null) {
            return;
        }
        if (fixedJson != null) {
            current = Topology.parse(fixedJson);
            return;
        }
        current = Topology.empty();
        load();
        refresher = io.dbops.flinkjobs.Refresher.start("topology-refresh", refreshMs, this::load);
    }

    private void load() {
        try (MetadataDb db = MetadataDb.connect(url, user, password)) {
            current = fromInventory(db);
        } catch (Exception e) {
            LOG.warn("cannot read the inventory, keeping the last topology ({} instances): {}", current.instances().size(), e.toString());
        }
    }

    static Topology fromInventory(MetadataDb db) throws Exception {
        Map<String, Topology.Host> hosts = new HashMap<>();
        for (InventoryServer s : db.inventory().servers()) {
            hosts.put(s.name(), new Topology.Host(s.name(), s.rack(), s.dc()));
        }
        Map<String, Topology.Instance> instances = new HashMap<>();
        for (InventoryInstance i : db.inventory().instances()) {
            Topology.Host h = hosts.get(i.server());
            instances.put(i.id(), new Topology.Instance(i.id(), i.engine().name().toLowerCase(java.util.Locale.ROOT), i.server(),
                    h == null ? null : h.rack(), h == null ? null : h.dc(), i.cluster(), i.businessLine(), i.role(), i.port()));
        }
        return new Topology(hosts, instances);
    }

    public Topology current() {
        return current;
    }

    public synchronized void stop() {
        if (refresher != null) {
            refresher.interrupt();
        }
    }
}
