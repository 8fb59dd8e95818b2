package io.dbops.sql;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * Writes realistic slow logs for benchmarks and conformance runs against pt-query-digest: MySQL
 * 8.0 or MariaDB 10.x headers, many query shapes (IN lists, multi-row INSERTs, joins, numbered
 * tables, quoted strings with escapes, comments, ORDER BY ... ASC, LIMIT forms, multi-line
 * statements, administrator commands), a long-tailed Query_time. Seeded, so a run is repeatable.
 */
public final class SlowLogGenerator {
    /** Header dialect. */
    public enum Format { MYSQL8, MARIADB }

    private static final DateTimeFormatter MARIADB_TIME = DateTimeFormatter.ofPattern("yyMMdd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final String[] TABLES = {"orders", "order_items", "users", "accounts", "payments", "inventory",
        "shipments", "sessions", "audit_log", "events_2025_11", "tbl_shard_17", "cart", "coupons", "reviews"};
    private static final String[] COLUMNS = {"id", "user_id", "status", "created_at", "amount", "sku", "note", "email", "state"};
    private static final String[] DBS = {"shop", "billing", "crm", "logistics"};

    private final Random random;
    private final Format format;
    private Instant clock = Instant.parse("2025-11-25T10:00:00Z");
    private long lastSecond = -1;
    private int thread = 100;

    public SlowLogGenerator(Format format, long seed) {
        this.format = format;
        this.random = new Random(seed);
    }

    public void write(Writer out, int entries) throws IOException {
        if (format == Format.MARIADB) {
            out.write("/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
                    + "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\nTime\t\t    Id Command\tArgument\n");
        } else {
            out.write("/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\n"
                    + "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\nTime                 Id Command    Argument\n");
        }
        for (int i = 0; i < entries; i++) {
            entry(out);
        }
    }

    private void entry(Writer out) throws IOException {
        clock = clock.plusNanos(random.nextInt(40_000_000) * 1000L);
        double queryTime = Math.min(120, Math.exp(random.nextGaussian() * 1.6 - 4.5));
        double lockTime = random.nextInt(4) == 0 ? random.nextDouble() * 0.001 : 0;
        long rowsExamined = (long) Math.exp(random.nextDouble() * 12);
        long rowsSent = random.nextInt(3) == 0 ? 0 : Math.min(rowsExamined, random.nextInt(500));
        String db = DBS[random.nextInt(DBS.length)];
        int tid = thread + random.nextInt(50);
        boolean admin = random.nextInt(200) == 0;
        StringBuilder e = new StringBuilder(256);
        long second = clock.getEpochSecond();
        if (format == Format.MARIADB) {
            if (second != lastSecond) {
                e.append("# Time: ").append(MARIADB_TIME.format(clock)).append('\n');
                lastSecond = second;
            }
            e.append("# User@Host: app[app] @ localhost [127.0.0.1]\n");
            e.append("# Thread_id: ").append(tid).append("  Schema: ").append(db).append("  QC_hit: No\n");
            e.append(String.format(java.util.Locale.ROOT, "# Query_time: %.6f  Lock_time: %.6f  Rows_sent: %d  Rows_examined: %d%n",
                    queryTime, lockTime, rowsSent, rowsExamined));
            e.append("# Rows_affected: ").append(random.nextInt(3)).append("  Bytes_sent: ").append(random.nextInt(10_000)).append('\n');
            if (random.nextBoolean()) {
                e.append("# Full_scan: ").append(random.nextBoolean() ? "Yes" : "No").append("  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No\n");
                e.append("# Filesort: No  Filesort_on_disk: No  Merge_passes: 0  Priority_queue: No\n");
            }
        } else {
            e.append("# Time: ").append(ISO_MICROS.format(clock)).append('\n');
            e.append("# User@Host: app[app] @ localhost [127.0.0.1]  Id:    ").append(tid).append('\n');
            e.append(String.format(java.util.Locale.ROOT, "# Query_time: %.6f  Lock_time: %.6f Rows_sent: %d  Rows_examined: %d%n",
                    queryTime, lockTime, rowsSent, rowsExamined));
        }
        if (admin) {
            e.append("# administrator command: Quit;\n");
            out.write(e.toString());
            return;
        }
        if (random.nextInt(8) == 0) {
            e.append("use ").append(db).append(";\n");
        }
        e.append("SET timestamp=").append(second).append(";\n");
        e.append(query()).append(";\n");
        out.write(e.toString());
    }

    private String query() {
        String t = TABLES[random.nextInt(TABLES.length)];
        String c = COLUMNS[random.nextInt(COLUMNS.length)];
        String c2 = COLUMNS[random.nextInt(COLUMNS.length)];
        return switch (random.nextInt(16)) {
            case 0 -> "SELECT * FROM " + t + " WHERE " + c + " = " + num();
            case 1 -> "SELECT " + c + ", " + c2 + " FROM " + t + " WHERE " + c + " IN (" + list() + ") ORDER BY " + c2 + " ASC LIMIT " + random.nextInt(100);
            case 2 -> "INSERT INTO " + t + " (" + c + ", " + c2 + ") VALUES " + rows();
            case 3 -> "UPDATE " + t + " SET " + c + " = " + str() + ", " + c2 + " = " + c2 + " + 1 WHERE id = " + num();
            case 4 -> "DELETE FROM " + t + " WHERE " + c + " < " + num() + " LIMIT " + (1 + random.nextInt(1000));
            case 5 -> "SELECT o.id, u.email FROM orders o\n  JOIN users u ON u.id = o.user_id\n  WHERE o.status = " + str()
                    + "\n  AND o.created_at > '2025-11-" + (10 + random.nextInt(15)) + "'\n  ORDER BY o.id DESC LIMIT " + random.nextInt(50) + ", 20";
            case 6 -> "SELECT /* app:checkout line " + random.nextInt(900) + " */ count(*) FROM " + t + " WHERE " + c + " IS NULL";
            case 7 -> "SELECT * FROM " + t + "_" + random.nextInt(64) + " WHERE " + c + " = " + str() + " AND deleted = false";
            case 8 -> "SELECT sum(amount) FROM payments WHERE user_id = " + num() + " GROUP BY status ORDER BY 1 ASC";
            case 9 -> "REPLACE INTO " + t + " VALUES " + rows();
            case 10 -> "SELECT a FROM " + t + " WHERE x = " + num() + " UNION SELECT a FROM " + t + " WHERE x = " + num();
            case 11 -> "select * from " + t + " where " + c + " like " + str() + " limit " + random.nextInt(9) + " offset " + random.nextInt(99);
            case 12 -> "CALL refresh_stats(" + num() + ", " + str() + ")";
            case 13 -> "SELECT * FROM " + t + " WHERE " + c + " BETWEEN " + num() + " AND " + num() + " -- range scan";
            case 14 -> "UPDATE " + t + " SET note = 'it''s " + random.nextInt(1000) + "' WHERE id = 0x" + Integer.toHexString(random.nextInt());
            default -> "SELECT * FROM " + t + " WHERE " + c + " = -" + random.nextInt(1000) + ".5 AND " + c2 + " IN (SELECT id FROM users WHERE state = " + str() + ")";
        };
    }

    private String num() {
        return Integer.toString(random.nextInt(1_000_000));
    }

    private String str() {
        int kind = random.nextInt(5);
        return switch (kind) {
            case 0 -> "\"v" + random.nextInt(1000) + "\"";
            case 1 -> "'esc\\'aped " + random.nextInt(100) + "'";
            default -> "'value-" + random.nextInt(100_000) + "'";
        };
    }

    private String list() {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(random.nextBoolean() ? num() : str());
        }
        return sb.toString();
    }

    private String rows() {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("(").append(num()).append(", ").append(str()).append(")");
        }
        return sb.toString();
    }
}
