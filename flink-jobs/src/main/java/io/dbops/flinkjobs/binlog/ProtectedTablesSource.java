package io.dbops.flinkjobs.binlog;

import io.dbops.metadata.MetadataDb;
import io.dbops.metadata.ProtectedTableStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the binlog job's operators get the protected tables: a fixed list (the job config, tests)
 * plus, when configured, the metadata DB's {@code protected_tables}, re-read every
 * {@code refreshMs} on a background thread so a table DBAs protect counts within that time. While
 * the DB is unreachable the last list stays.
 */
public final class ProtectedTablesSource implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(ProtectedTablesSource.class);
    private final List<ProtectedTables.Rule> fixed;
    private final String url;
    private final String user;
    private final String password;
    private final long refreshMs;
    private transient volatile ProtectedTables current;
    private transient Thread refresher;

    private ProtectedTablesSource(List<ProtectedTables.Rule> fixed, String url, String user, String password, long refreshMs) {
        this.fixed = List.copyOf(fixed);
        this.url = url;
        this.user = user;
        this.password = password;
        this.refreshMs = refreshMs;
    }

    public static ProtectedTablesSource fixed(List<ProtectedTables.Rule> rules) {
        return new ProtectedTablesSource(rules, null, null, null, 0);
    }

    public static ProtectedTablesSource metadata(List<ProtectedTables.Rule> fixed, String url, String user, String password, long refreshMs) {
        return new ProtectedTablesSource(fixed, url, user, password, refreshMs);
    }

    public ProtectedTables current() {
        ProtectedTables c = current;
        return c == null ? new ProtectedTables(fixed) : c;
    }

    public synchronized void start() {
        if (current != null) {
            return;
        }
        current = new ProtectedTables(fixed);
        if (url == null) {
            return;
        }
        load();
        refresher = io.dbops.flinkjobs.Refresher.start("protected-tables-refresh", refreshMs, this::load);
    }

    public synchronized void stop() {
        if (refresher != null) {
            refresher.interrupt();
            refresher = null;
        }
    }

    private void load() {
        try (MetadataDb db = MetadataDb.connect(url, user, password, 1)) {
            List<ProtectedTables.Rule> rules = new ArrayList<>(fixed);
            for (ProtectedTableStore.Entry e : new ProtectedTableStore(db.dataSource()).list()) {
                rules.add(new ProtectedTables.Rule(e.cluster(), e.instance(), e.database(), e.table(), e.reason()));
            }
            current = new ProtectedTables(rules);
        } catch (Exception e) {
            LOG.warn("cannot read the protected tables, keeping the last {}: {}", current.rules().size(), e.toString());
        }
    }
}
