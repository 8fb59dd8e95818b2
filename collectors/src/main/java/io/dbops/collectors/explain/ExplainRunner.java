package io.dbops.collectors.explain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Runs {@code EXPLAIN FORMAT=JSON} of an example on a replica, under a statement time limit, with
 * the monitor user (read-only). MariaDB bounds it with {@code SET STATEMENT max_statement_time};
 * MySQL with {@code max_execution_time}; the JDBC query timeout backs both.
 */
public final class ExplainRunner {
    private final int timeoutSeconds;

    public ExplainRunner(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public String explain(String host, int port, String user, String password, String database, String sql, boolean mariadb)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "3000");
        String url = "jdbc:mariadb://" + host + ":" + port + "/" + (database == null ? "" : database);
        try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
            c.setReadOnly(true);
            st.setQueryTimeout(timeoutSeconds + 1);
            String statement = mariadb
                    ? "SET STATEMENT max_statement_time=" + timeoutSeconds + " FOR EXPLAIN FORMAT=JSON " + sql
                    : "EXPLAIN FORMAT=JSON " + sql;
            if (!mariadb) {
                st.execute("SET SESSION max_execution_time=" + timeoutSeconds * 1000);
            }
            try (ResultSet rs = st.executeQuery(statement)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
