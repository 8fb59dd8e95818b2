package io.dbops.actions;

import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import io.dbops.events.TopologyChange;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The fleet as the action service reaches it. MariaDB administrative credentials and the
 * replication account come from the secrets file (keys named in the service config); connections
 * have a 2 s connect timeout and a statement timeout, so a dead server fails a step quickly.
 */
public final class FleetAccess implements Fleet {
    /** Where the credentials are: keys of the secrets file, never the secrets. */
    public record Credentials(String adminUser, String adminPasswordKey, String replUser, String replPasswordKey,
                              String redisPasswordKey, String monitorUser, String monitorPasswordKey) {
    }

    private final Inventory inventory;
    private final Properties secrets;
    private final Credentials credentials;
    private final Producer<String, byte[]> producer;
    private final io.dbops.actions.backup.BackupCatalog catalog;
    private final java.nio.file.Path backupDir;
    private final io.dbops.actions.playbooks.LivePlacement placement;

    public FleetAccess(Inventory inventory, Properties secrets, Credentials credentials, Producer<String, byte[]> producer,
                       io.dbops.actions.backup.BackupCatalog catalog, java.nio.file.Path backupDir,
                       io.dbops.actions.playbooks.LivePlacement placement) {
        this.placement = placement;
        this.inventory = inventory;
        this.secrets = secrets;
        this.credentials = credentials;
        this.producer = producer;
        this.catalog = catalog;
        this.backupDir = backupDir;
    }

    @Override
    public io.dbops.actions.playbooks.LivePlacement placement() {
        return placement;
    }

    @Override
    public java.nio.file.Path backupDir() {
        return backupDir;
    }

    @Override
    public java.nio.file.Path provisionDir() {
        return backupDir.resolveSibling("instances");
    }

    @Override
    public java.util.Map<String, String> platformAccounts() {
        return java.util.Map.of("admin_user", credentials.adminUser(), "admin_password", secret(credentials.adminPasswordKey()),
                "repl_user", credentials.replUser(), "repl_password", secret(credentials.replPasswordKey()),
                "monitor_user", credentials.monitorUser(), "monitor_password", secret(credentials.monitorPasswordKey()));
    }

    @Override
    public io.dbops.actions.backup.BackupCatalog catalog() {
        return catalog;
    }

    @Override
    public java.nio.file.Path clientOptionFile(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Path f = dir.resolve(".client-" + java.util.UUID.randomUUID() + ".cnf");
        java.nio.file.Files.createFile(f, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        String password = secret(credentials.adminPasswordKey()).replace("\\", "\\\\").replace("\"", "\\\"");
        java.nio.file.Files.writeString(f, "[client]\nuser=" + credentials.adminUser() + "\npassword=\"" + password + "\"\n");
        return f;
    }

    @Override
    public Inventory inventory() {
        return inventory;
    }

    @Override
    public Connection mariadb(InventoryInstance instance) throws SQLException {
        return mariadbAt(address(instance), instance.port());
    }

    @Override
    public Connection mariadbAt(String host, int port) throws SQLException {
        String url = "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=2000&socketTimeout=60000";
        return DriverManager.getConnection(url, credentials.adminUser(), secret(credentials.adminPasswordKey()));
    }

    @Override
    public com.mongodb.client.MongoClient mongo(InventoryInstance instance) throws SQLException {
        String host = address(instance);
        var settings = com.mongodb.MongoClientSettings.builder()
                .applyToClusterSettings(b -> b.hosts(List.of(new com.mongodb.ServerAddress(host, instance.port())))
                        .serverSelectionTimeout(3, java.util.concurrent.TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(2, java.util.concurrent.TimeUnit.SECONDS).readTimeout(60, java.util.concurrent.TimeUnit.SECONDS));
        String ref = instance.credentialRef();
        if (ref != null && secrets.getProperty(ref + ".password") != null) {
            settings.credential(com.mongodb.MongoCredential.createCredential(secrets.getProperty(ref + ".user", "dbops"), "admin",
                    secrets.getProperty(ref + ".password").toCharArray()));
        }
        return com.mongodb.client.MongoClients.create(settings.build());
    }

    @Override
    public String replicationUser() {
        return credentials.replUser();
    }

    @Override
    public String replicationPassword() {
        return secret(credentials.replPasswordKey());
    }

    @Override
    public Jedis redis(InventoryInstance instance) {
        try {
            var config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000).socketTimeoutMillis(5000);
            String key = credentials.redisPasswordKey();
            if (key != null && secrets.getProperty(key) != null && instance.role() != null && !instance.role().equals("sentinel")) {
                config.password(secrets.getProperty(key));
            }
            return new Jedis(new HostAndPort(address(instance), instance.port()), config.build());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the inventory: " + e.getMessage(), e);
        }
    }

    @Override
    public String address(InventoryInstance instance) throws SQLException {
        String a = inventory.serverAddresses().get(instance.server());
        return a == null ? instance.server() : a;
    }

    @Override
    public void publishTopology(TopologyChange change) throws Exception {
        producer.send(new ProducerRecord<>(Topic.TOPOLOGY.topicName(), change.cluster(), EventCodec.toBytes(change)))
                .get(30, TimeUnit.SECONDS);
    }

    private String secret(String key) {
        String v = key == null ? null : secrets.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("secret '" + key + "' is not in the secrets file");
        }
        return v;
    }
}
