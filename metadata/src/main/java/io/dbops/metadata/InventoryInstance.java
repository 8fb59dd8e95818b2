package io.dbops.metadata;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;

/** One row of the instance inventory. {@code credentialRef} names a secret; it is never the secret. */
public record InventoryInstance(
        String id,
        Engine engine,
        String cluster,
        String server,
        int port,
        String role,
        String businessLine,
        String credentialRef,
        String status) {

    public InstanceRef ref() {
        return new InstanceRef(id, engine, cluster, server, port, businessLine);
    }
}
