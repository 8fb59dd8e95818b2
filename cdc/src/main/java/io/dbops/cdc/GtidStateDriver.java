package io.dbops.cdc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Lets the capture continue on a new primary by GTID. Debezium's MariaDB connector checks the
 * recorded GTIDs against the server's {@code gtid_binlog_pos}, which lists only the last GTID of
 * each domain: on a replica promoted to primary that is its own newest transaction (0-2-M), so the
 * old primary's transactions (0-1-N), which its binlog holds, look missing and the connector
 * refuses to start. {@code gtid_binlog_state} lists the last GTID of each (domain, server) in the
 * binlog, which is what "does this binlog hold these transactions" asks; this driver answers the
 * connector's one query for {@code gtid_binlog_pos} with it. The capture then resumes by GTID
 * right after the last transaction it recorded, and the MariaDB server itself refuses a GTID its
 * binlog does not hold (strict mode), so a real gap still fails loudly.
 *
 * <p>It is registered ahead of the MariaDB driver for {@code jdbc:mariadb:} URLs in this process
 * (the binlog collector's own JVM) and passes every other statement through untouched.
 */
public final class GtidStateDriver implements Driver {
    static final String QUERY = "SHOW GLOBAL VARIABLES LIKE 'GTID_BINLOG_POS'";
    static final String REPLACEMENT = "SELECT 'gtid_binlog_pos' AS Variable_name, @@GLOBAL.gtid_binlog_state AS Value";
    private static volatile boolean installed;

    private final Driver delegate;

    private GtidStateDriver(Driver delegate) {
        this.delegate = delegate;
    }

    /** Registers the driver ahead of the MariaDB driver (once per process). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Driver mariadb = new org.mariadb.jdbc.Driver();
            List<Driver> others = new ArrayList<>();
            for (Driver d : java.util.Collections.list(DriverManager.getDrivers())) {
                if (d instanceof org.mariadb.jdbc.Driver) {
                    others.add(d);
                    DriverManager.deregisterDriver(d);
                }
            }
            DriverManager.registerDriver(new GtidStateDriver(mariadb));
            for (Driver d : others) {
                DriverManager.registerDriver(d);
            }
            installed = true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the GTID state driver", e);
        }
    }

    /** The statement the connector runs, with its GTID question answered from gtid_binlog_state. */
    static String rewrite(String sql) {
        return sql != null && sql.trim().toUpperCase(Locale.ROOT).equals(QUERY) ? REPLACEMENT : sql;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = delegate.connect(url, info);
        return real == null ? null : (Connection) Proxy.newProxyInstance(GtidStateDriver.class.getClassLoader(), new Class<?>[] {Connection.class},
                forward(real, true));
    }

    private static InvocationHandler forward(Object target, boolean connection) {
        return (proxy, method, args) -> {
            try {
                boolean sqlArgument = connection ? method.getName().equals("prepareStatement")
                        : method.getName().equals("executeQuery") || method.getName().equals("execute");
                if (sqlArgument && args != null && args.length > 0 && args[0] instanceof String sql) {
                    args[0] = rewrite(sql);
                }
                Object result = method.invoke(target, args);
                if (connection && method.getName().equals("createStatement") && result instanceof Statement st) {
                    return Proxy.newProxyInstance(GtidStateDriver.class.getClassLoader(), new Class<?>[] {Statement.class}, forward(st, false));
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return url != null && url.startsWith("jdbc:mariadb:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return delegate.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return delegate.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return delegate.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }
}
