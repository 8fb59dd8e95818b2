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

    /** The same administrative connection to a server outside the inventory (a scratch server). */
    Connection mariadbAt(String host, int port) throws SQLException;

    /** The replication account replicas use to connect to a primary. */
    String replicationUser();

    String replicationPassword();

    /** A client for a MongoDB instance (close it after use). */
    com.mongodb.client.MongoClient mongo(InventoryInstance instance) throws SQLException;

    /** A connection to a Redis instance or Sentinel. */
    Jedis redis(InventoryInstance instance);

    /** The network address of the server an instance runs on. */
    String address(InventoryInstance instance) throws SQLException;

    /** Where backups are written (one folder per instance below it). */
    java.nio.file.Path backupDir();

    /** Where provisioned servers get their folders, on their host. */
    java.nio.file.Path provisionDir();

    /**
     * The platform's accounts a new server is given: admin_user, admin_password, repl_user,
     * repl_password, monitor_user, monitor_password (for provisioning playbooks; never logged).
     */
    java.util.Map<String, String> platformAccounts();

    /** The backup catalog. */
    io.dbops.actions.backup.BackupCatalog catalog();

    /**
     * Writes a MySQL client option file ({@code [client]} user and password, mode 600) into
     * {@code dir} for the command-line tools, so the password is never on a command line.
     */
    java.nio.file.Path clientOptionFile(java.nio.file.Path dir) throws java.io.IOException;

    /** Server selection on the live inventory: hard rules, then the trained model or the heuristic; decisions recorded. */
    io.dbops.actions.playbooks.LivePlacement placement();

    /** Publishes a role change to {@code dbops.topology} and waits for the broker's acknowledgement. */
    void publishTopology(TopologyChange change) throws Exception;
}
