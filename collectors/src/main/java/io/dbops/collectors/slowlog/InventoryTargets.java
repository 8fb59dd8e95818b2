package io.dbops.collectors.slowlog;

import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's sources from the metadata inventory, re-read every {@code refresh} (30 s by
 * default), so new instances are picked up and removed ones dropped without a restart. Active
 * MySQL/MariaDB instances with a slow-log path, and Redis data nodes (not Sentinels).
 */
public final class InventoryTargets implements Supplier<List<SlowLogCollector.Target>> {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryTargets.class);
    private final MetadataDb db;
    private final Duration refresh;
    private final Clock clock;
    private List<SlowLogCollector.Target> cached = List.of();
    private long loadedAt;
    private boolean loaded;

    public InventoryTargets(MetadataDb db, Duration refresh, Clock clock) {
        this.db = db;
        this.refresh = refresh;
        this.clock = clock;
    }

    @Override
    public List<SlowLogCollector.Target> get() {
        if (loaded && clock.millis() - loadedAt < refresh.toMillis()) {
            return cached;
        }
        try {
            List<SlowLogCollector.Target> targets = new ArrayList<>();
            var addresses = db.inventory().serverAddresses();
            for (InventoryInstance i : db.inventory().instances()) {
                if (!"active".equals(i.status())) {
                    continue;
                }
                boolean sql = i.engine() == Engine.MARIADB || i.engine() == Engine.MYSQL;
                if (sql && i.slowLogPath() != null) {
                    targets.add(new SlowLogCollector.Target(i.ref(), addresses.get(i.server()), Path.of(i.slowLogPath()), ZoneOffset.UTC,
                            i.keepQueryLiterals()));
                } else if (i.engine() == Engine.REDIS && !"sentinel".equals(i.role())) {
                    targets.add(new SlowLogCollector.Target(i.ref(), addresses.getOrDefault(i.server(), i.server()), null, ZoneOffset.UTC,
                            i.keepQueryLiterals()));
                }
            }
            cached = List.copyOf(targets);
            loadedAt = clock.millis();
            loaded = true;
        } catch (Exception e) {
            // keep collecting from the last known inventory while the metadata DB is away
            LOG.warn("cannot read the inventory, keeping {} known sources: {}", cached.size(), e.toString());
        }
        return cached;
    }
}
