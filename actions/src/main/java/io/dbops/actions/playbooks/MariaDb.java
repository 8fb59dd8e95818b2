package io.dbops.actions.playbooks;

import io.dbops.actions.Fleet;
import io.dbops.actions.run.StepFailure;
import io.dbops.metadata.InventoryInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The MariaDB statements the replication playbooks share; each checks before it changes anything. */
final class MariaDb {
    private MariaDb() {
    }

    /** What SHOW SLAVE STATUS says about a replica (null fields when it replicates from nothing). */
    record ReplicaStatus(boolean configured, String masterHost, int masterPort, String ioRunning, String sqlRunning,
                         String gtidIoPos, String lastIoError) {
        static final ReplicaStatus NONE = new ReplicaStatus(false, null, 0, null, null, null, null);

        boolean ioYes() {
            return "Yes".equals(ioRunning);
        }
    }

    static ReplicaStatus replicaStatus(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return ReplicaStatus.NONE;
            }
            return new ReplicaStatus(true, rs.getString("Master_Host"), rs.getInt("Master_Port"), rs.getString("Slave_IO_Running"),
                    rs.getString("Slave_SQL_Running"), rs.getString("Gtid_IO_Pos"), rs.getString("Last_IO_Error"));
        }
    }

    static String variable(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@" + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Whether the instance accepts a connection and a query within the connect timeout. */
    static boolean reachable(Fleet fleet, InventoryInstance i) {
        try (Connection c = fleet.mariadb(i); Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Stops replication for good and opens the server for writes (idempotent). */
    static void promote(Connection c) throws SQLException {
        if (replicaStatus(c).configured()) {
            exec(c, "STOP SLAVE");
            exec(c, "RESET SLAVE ALL");
        }
        if (!"0".equals(variable(c, "read_only"))) {
            exec(c, "SET GLOBAL read_only = OFF");
        }
    }

    /**
     * Points a replica at a new primary by GTID (slave_pos: where it applied up to), unless it already
     * replicates from there. Returns what it did, for the log.
     */
    static String repoint(Connection c, String host, int port, String user, String password, String useGtid) throws SQLException {
        ReplicaStatus s = replicaStatus(c);
        if (s.configured() && host.equals(s.masterHost()) && s.masterPort() == port && s.ioYes() && "Yes".equals(s.sqlRunning())) {
            return "already replicating from " + host + ":" + port;
        }
        if (!"1".equals(variable(c, "read_only"))) {
            exec(c, "SET GLOBAL read_only = ON");
        }
        if (s.configured()) {
            exec(c, "STOP SLAVE");
        }
        exec(c, "CHANGE MASTER TO MASTER_HOST=" + quote(host) + ", MASTER_PORT=" + port + ", MASTER_USER=" + quote(user)
                + ", MASTER_PASSWORD=" + quote(password) + ", MASTER_USE_GTID=" + useGtid + ", MASTER_CONNECT_RETRY=1");
        exec(c, "START SLAVE");
        return "now replicating from " + host + ":" + port + " (MASTER_USE_GTID=" + useGtid + ")";
    }

    /** Read-only on, and every client session killed except replication, system and our own; returns how many were killed. */
    static int fence(Connection c) throws SQLException {
        if (!"1".equals(variable(c, "read_only"))) {
            exec(c, "SET GLOBAL read_only = ON");
        }
        List<Long> ids = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND USER NOT IN ('system user', 'event_scheduler') "
                        + "AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon')")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        int killed = 0;
        for (long id : ids) {
            try {
                exec(c, "KILL CONNECTION " + id);
                killed++;
            } catch (SQLException gone) {
                // the session ended by itself meanwhile
            }
        }
        return killed;
    }

    /** Waits until the server has applied {@code pos}; a timeout is worth retrying. */
    static void waitForGtid(Connection c, String pos, int timeoutSeconds) throws SQLException, StepFailure {
        if (pos == null || pos.isBlank()) {
            return;
        }
        try (var ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            ps.setString(1, pos);
            ps.setInt(2, timeoutSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 0) {
                    throw StepFailure.transientFailure("position " + pos + " not applied within " + timeoutSeconds + " s", null);
                }
            }
        }
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
