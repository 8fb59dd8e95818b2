package io.dbops.metadata;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;

/**
 * One row of the instance inventory. {@code credentialRef} names a secret; it is never the secret.
 * {@code slowLogPath} is where a MySQL/MariaDB instance writes its slow log (null: not collected).
 * {@code keepQueryLiterals} false means query texts from it are published as fingerprints only.
 */
public record InventoryInstance(
        String id,
        Engine engine,
        String cluster,
        String server,
        int port,
        String role,
        String businessLine,
        String credentialRef,
        String status,
        String slowLogPath,
        boolean keepQueryLiterals) {

    public InstanceRef ref() {
        return new InstanceRef(id, engine, cluster, server, port, businessLine);
    }
}
