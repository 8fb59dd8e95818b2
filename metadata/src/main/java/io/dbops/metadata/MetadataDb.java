package io.dbops.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The platform's own metadata database (MySQL or MariaDB): inventory, users, requests, runs and
 * deployment history. The schema is owned by the Flyway migrations under {@code db/migration};
 * every service migrates on start, so a newer service brings its tables with it.
 */
public final class MetadataDb implements AutoCloseable {
    private final HikariDataSource dataSource;

    private MetadataDb(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static MetadataDb connect(String jdbcUrl, String user, String password) {
        return connect(jdbcUrl, user, password, 4);
    }

    /** A pool of up to {@code poolSize} connections (the dashboard serves many readers at once). */
    public static MetadataDb connect(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setPoolName("metadata");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        return new MetadataDb(new HikariDataSource(config));
    }

    /** Applies pending migrations; returns how many were applied (0 when already current). */
    public int migrate() {
        MigrateResult result = flyway().migrate();
        return result.migrationsExecuted;
    }

    /** Version of the newest applied migration, or null before the first. */
    public String schemaVersion() {
        MigrationInfo current = flyway().info().current();
        return current == null ? null : current.getVersion().getVersion();
    }

    /** Number of migrations known to the code but not yet applied. */
    public int pendingMigrations() {
        return flyway().info().pending().length;
    }

    public Inventory inventory() {
        return new Inventory(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
