package io.dbops.metadata;

import io.dbops.events.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The fleet inventory in the metadata DB. Writes are upserts so that registering the same fleet
 * twice (a second {@code ./dbops up}) changes nothing.
 */
public final class Inventory {
    private final DataSource dataSource;

    public Inventory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void upsertBusinessLine(String name, String description) throws SQLException {
        update("INSERT INTO business_lines (name, description) VALUES (?, ?) "
                + "ON DUPLICATE KEY UPDATE description = VALUES(description)", name, description);
    }

    public void upsertServer(InventoryServer s) throws SQLException {
        update("INSERT INTO servers (name, address, rack, dc, hardware, maintenance) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE address = VALUES(address), rack = VALUES(rack), dc = VALUES(dc), "
                + "hardware = VALUES(hardware), maintenance = VALUES(maintenance)",
                s.name(), s.address(), s.rack(), s.dc(), s.hardware(), s.maintenance());
    }

    public void upsertCluster(String name, Engine engine, String businessLine, String description) throws SQLException {
        update("INSERT INTO clusters (name, engine, business_line, description) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE engine = VALUES(engine), business_line = VALUES(business_line), "
                + "description = VALUES(description)", name, engine.name().toLowerCase(), businessLine, description);
    }

    public void upsertInstance(InventoryInstance i) throws SQLException {
        update("INSERT INTO instances (id, engine, cluster, server, port, role, business_line, credential_ref, status, "
                + "slow_log_path, keep_query_literals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE engine = VALUES(engine), "
                + "cluster = VALUES(cluster), server = VALUES(server), port = VALUES(port), role = VALUES(role), "
                + "business_line = VALUES(business_line), credential_ref = VALUES(credential_ref), status = VALUES(status), "
                + "slow_log_path = VALUES(slow_log_path), keep_query_literals = VALUES(keep_query_literals)",
                i.id(), i.engine().name().toLowerCase(), i.cluster(), i.server(), i.port(), i.role(), i.businessLine(),
                i.credentialRef(), i.status(), i.slowLogPath(), i.keepQueryLiterals());
    }

    /**
     * Registers an instance the way {@code ./dbops up} does: like {@link #upsertInstance}, except
     * that an existing row keeps its role and status, which failovers and fencing own.
     */
    public void registerInstance(InventoryInstance i) throws SQLException {
        update("INSERT INTO instances (id, engine, cluster, server, port, role, business_line, credential_ref, status, "
                + "slow_log_path, keep_query_literals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE engine = VALUES(engine), "
                + "cluster = VALUES(cluster), server = VALUES(server), port = VALUES(port), "
                + "business_line = VALUES(business_line), credential_ref = VALUES(credential_ref), "
                + "slow_log_path = VALUES(slow_log_path), keep_query_literals = VALUES(keep_query_literals)",
                i.id(), i.engine().name().toLowerCase(), i.cluster(), i.server(), i.port(), i.role(), i.businessLine(),
                i.credentialRef(), i.status(), i.slowLogPath(), i.keepQueryLiterals());
    }

    /** Sets an instance's role and status (after a failover, a switchover or fencing); false when it is unknown. */
    public boolean setRoleAndStatus(String id, String role, String status) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE instances SET role = ?, status = ? WHERE id = ?")) {
            ps.setString(1, role);
            ps.setString(2, status);
            ps.setString(3, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** One instance by id, or null. */
    public InventoryInstance instance(String id) throws SQLException {
        return instances().stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
    }

    /** The members of a cluster, by id. */
    public List<InventoryInstance> cluster(String cluster) throws SQLException {
        return instances().stream().filter(i -> cluster.equals(i.cluster())).toList();
    }

    public List<InventoryInstance> instances() throws SQLException {
        List<InventoryInstance> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, engine, cluster, server, port, role, business_line, "
                     + "credential_ref, status, slow_log_path, keep_query_literals FROM instances ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new InventoryInstance(rs.getString(1), Engine.valueOf(rs.getString(2).toUpperCase()),
                        rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10), rs.getBoolean(11)));
            }
        }
        return out;
    }

    /** Every server with its rack and dc (topology for alarm merging and placement). */
    public List<InventoryServer> servers() throws SQLException {
        List<InventoryServer> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, address, rack, dc, hardware, maintenance FROM servers ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new InventoryServer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getBoolean(6)));
            }
        }
        return out;
    }

    /** A server's capacity; null fields are not known. */
    public record ServerCapacity(Double memTotalGb, Double diskTotalGb, Integer cpuCores) {
    }

    /** Records a server's capacity (what placement works free memory and disk out from). */
    public void setCapacity(String server, double memTotalGb, double diskTotalGb, int cpuCores) throws SQLException {
        update("UPDATE servers SET mem_total_gb = ?, disk_total_gb = ?, cpu_cores = ? WHERE name = ?", memTotalGb, diskTotalGb, cpuCores, server);
    }

    /** Every server's capacity by name. */
    public java.util.Map<String, ServerCapacity> capacities() throws SQLException {
        java.util.Map<String, ServerCapacity> out = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, mem_total_gb, disk_total_gb, cpu_cores FROM servers");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new ServerCapacity(rs.getObject(2, Double.class), rs.getObject(3, Double.class), rs.getObject(4, Integer.class)));
            }
        }
        return out;
    }

    /** Records what an instance was given (memory and disk, GB). */
    public void setAllocation(String instance, double memoryGb, double diskGb) throws SQLException {
        update("UPDATE instances SET memory_gb = ?, disk_gb = ? WHERE id = ?", memoryGb, diskGb, instance);
    }

    /** Memory and disk given to each instance that has them recorded: id -> {memory GB, disk GB}. */
    public java.util.Map<String, double[]> allocations() throws SQLException {
        java.util.Map<String, double[]> out = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, memory_gb, disk_gb FROM instances WHERE memory_gb IS NOT NULL OR disk_gb IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Double m = rs.getObject(2, Double.class);
                Double d = rs.getObject(3, Double.class);
                out.put(rs.getString(1), new double[] {m == null ? Double.NaN : m, d == null ? Double.NaN : d});
            }
        }
        return out;
    }

    /** Names of every business line, sorted. */
    public List<String> businessLines() throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name FROM business_lines ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Network address of every server, by server name. */
    public java.util.Map<String, String> serverAddresses() throws SQLException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, address FROM servers");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
