package io.dbops.actions;

import io.dbops.events.TopologyChange;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.sql.SQLException;
import redis.clients.jedis.Jedis;

/**
 * What playbooks act on: the inventory, administrative connections to the fleet's servers (with
 * credentials from the secrets file, never from parameters), and the topology topic.
 */
public interface Fleet {
    Inventory inventory();

    /** An administrative connection to a MySQL/MariaDB instance, with short connect and statement timeouts. */
    Connection mariadb(InventoryInstance instance) throws SQLException;

    /** The replication account replicas use to connect to a primary. */
    String replicationUser();

    String replicationPassword();

    /** A connection to a Redis instance or Sentinel. */
    Jedis redis(InventoryInstance instance);

    /** The network address of the server an instance runs on. */
    String address(InventoryInstance instance) throws SQLException;

    /** Publishes a role change to {@code dbops.topology} and waits for the broker's acknowledgement. */
    void publishTopology(TopologyChange change) throws Exception;
}
