package io.dbops.collectors.explain;

import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For each MySQL/MariaDB instance, a replica of its cluster to run EXPLAIN on, from the inventory
 * (re-read every {@code refresh}). Credentials come from the secrets file by the replica's
 * credential reference: {@code REF.password}, and {@code REF.user} (default {@code defaultUser}).
 * An instance whose cluster has no active replica gets none: EXPLAIN never runs on a primary.
 */
public final class InventoryReplicas implements Function<String, ExplainCapture.Replica> {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryReplicas.class);
    private final MetadataDb db;
    private final Properties secrets;
    private final String defaultUser;
    private final Duration refresh;
    private final Clock clock;
    private Map<String, ExplainCapture.Replica> byInstance = Map.of();
    private long loadedAt;
    private boolean loaded;

    public InventoryReplicas(MetadataDb db, Properties secrets, String defaultUser, Duration refresh, Clock clock) {
        this.db = db;
        this.secrets = secrets;
        this.defaultUser = defaultUser;
        this.refresh = refresh;
        this.clock = clock;
    }

    @Override
    public ExplainCapture.Replica apply(String instanceId) {
        if (!loaded || clock.millis() - loadedAt >= refresh.toMillis()) {
            try {
                byInstance = load();
                loadedAt = clock.millis();
                loaded = true;
            } catch (Exception e) {
                LOG.warn("cannot read the inventory, keeping the last replica map: {}", e.toString());
            }
        }
        return byInstance.get(instanceId);
    }

    private Map<String, ExplainCapture.Replica> load() throws Exception {
        List<InventoryInstance> all = db.inventory().instances();
        Map<String, String> addresses = db.inventory().serverAddresses();
        Map<String, ExplainCapture.Replica> replicaOfCluster = new HashMap<>();
        for (InventoryInstance i : all) {
            boolean sql = i.engine() == Engine.MARIADB || i.engine() == Engine.MYSQL;
            if (sql && "replica".equals(i.role()) && "active".equals(i.status()) && i.cluster() != null && i.credentialRef() != null
                    && secrets.getProperty(i.credentialRef() + ".password") != null) {
                replicaOfCluster.putIfAbsent(i.cluster(), new ExplainCapture.Replica(addresses.getOrDefault(i.server(), i.server()),
                        i.port(), null, secrets.getProperty(i.credentialRef() + ".user", defaultUser),
                        secrets.getProperty(i.credentialRef() + ".password"), i.engine()));
            }
        }
        Map<String, ExplainCapture.Replica> out = new HashMap<>();
        for (InventoryInstance i : all) {
            if (i.cluster() != null && replicaOfCluster.containsKey(i.cluster())) {
                out.put(i.id(), replicaOfCluster.get(i.cluster()));
            }
        }
        return out;
    }
}
