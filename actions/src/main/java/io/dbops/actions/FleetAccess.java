package io.dbops.actions;

import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import io.dbops.events.TopologyChange;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
                              String redisPasswordKey) {
    }

    private final Inventory inventory;
    private final Properties secrets;
    private final Credentials credentials;
    private final Producer<String, byte[]> producer;

    public FleetAccess(Inventory inventory, Properties secrets, Credentials credentials, Producer<String, byte[]> producer) {
        this.inventory = inventory;
        this.secrets = secrets;
        this.credentials = credentials;
        this.producer = producer;
    }

    @Override
    public Inventory inventory() {
        return inventory;
    }

    @Override
    public Connection mariadb(InventoryInstance instance) throws SQLException {
        String url = "jdbc:mariadb://" + address(instance) + ":" + instance.port() + "/?connectTimeout=2000&socketTimeout=60000";
        return DriverManager.getConnection(url, credentials.adminUser(), secret(credentials.adminPasswordKey()));
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
