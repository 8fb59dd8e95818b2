package io.dbops.collectors.metrics;

import io.dbops.sql.Fingerprinter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what MySQL and MariaDB answer into sample fields, with no connection: a plain class so
 * each mapping is tested on its own. Names are lower-cased server names; ON/OFF/YES/NO become 1/0;
 * a NULL stays null (never 0: {@code Seconds_Behind_Master} is NULL exactly when replication is
 * not running, and a 0 there would hide the outage).
 */
public final class MySqlMetrics {
    /** Variables worth a series: limits the rules divide by, and settings DBAs audit. */
    public static final List<String> VARIABLES = List.of("max_connections", "innodb_buffer_pool_size", "read_only",
            "super_read_only", "max_allowed_packet", "long_query_time", "slow_query_log", "thread_cache_size", "table_open_cache",
            "innodb_log_file_size", "sync_binlog", "innodb_flush_log_at_trx_commit", "log_bin", "open_files_limit",
            "innodb_io_capacity", "max_user_connections", "wait_timeout");
    private static final Set<String> IDLE_COMMANDS = Set.of("sleep", "daemon", "binlog dump", "binlog dump gtid", "slave_io",
            "slave_sql", "slave_worker", "connect", "killed");

    private MySqlMetrics() {
    }

    /** The MySQL flavour from {@code SELECT VERSION()}: the server says, not the driver. */
    public static boolean isMariaDb(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb");
    }

    /** A status or variable value as a number: numbers, ON/OFF, YES/NO; null for anything else. */
    public static Double number(String v) {
        if (v == null) {
            return null;
        }
        String t = v.trim();
        if (t.isEmpty()) {
            return null;
        }
        char c = t.charAt(0);
        if (Character.isDigit(c) || c == '-' || c == '.') {
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return switch (t.toUpperCase(Locale.ROOT)) {
            case "ON", "YES", "TRUE" -> 1.0;
            case "OFF", "NO", "FALSE" -> 0.0;
            default -> null;
        };
    }

    /** {@code SHOW GLOBAL STATUS} (or VARIABLES) rows → fields; non-numeric values are left out. */
    public static Map<String, Double> numericFields(Map<String, String> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        rows.forEach((k, v) -> {
            Double d = number(v);
            if (d != null) {
                out.put(k.toLowerCase(Locale.ROOT), d);
            }
        });
        return out;
    }

    /** One row of MariaDB {@code SHOW ALL SLAVES STATUS} or MySQL 8 {@code SHOW REPLICA STATUS}, column → value. */
    public record Replication(Map<String, Double> fields, Map<String, String> tags) {
    }

    public static Replication replication(Map<String, String> row) {
        Map<String, Double> f = new LinkedHashMap<>();
        String io = first(row, "Slave_IO_Running", "Replica_IO_Running");
        String sql = first(row, "Slave_SQL_Running", "Replica_SQL_Running");
        f.put("io_running", "Yes".equalsIgnoreCase(io) ? 1.0 : 0.0);
        f.put("io_connecting", "Connecting".equalsIgnoreCase(io) ? 1.0 : 0.0);
        f.put("sql_running", "Yes".equalsIgnoreCase(sql) ? 1.0 : 0.0);
        f.put("seconds_behind_master", number(first(row, "Seconds_Behind_Master", "Seconds_Behind_Source")));
        f.put("last_io_errno", number(first(row, "Last_IO_Errno")));
        f.put("last_sql_errno", number(first(row, "Last_SQL_Errno")));
        f.put("relay_log_space", number(first(row, "Relay_Log_Space")));
        f.put("read_master_log_pos", number(first(row, "Read_Master_Log_Pos", "Read_Source_Log_Pos")));
        f.put("exec_master_log_pos", number(first(row, "Exec_Master_Log_Pos", "Exec_Source_Log_Pos")));
        Double ioSeq = gtidSequence(first(row, "Gtid_IO_Pos", "Retrieved_Gtid_Set"));
        if (ioSeq != null) {
            f.put("gtid_io_seq", ioSeq);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        String channel = first(row, "Connection_name", "Channel_Name");
        if (channel != null && !channel.isEmpty()) {
            tags.put("channel", channel);
        }
        String host = first(row, "Master_Host", "Source_Host");
        String port = first(row, "Master_Port", "Source_Port");
        if (host != null) {
            tags.put("source", host + ":" + port);
        }
        return new Replication(f, tags);
    }

    /**
     * The highest sequence number in a GTID position: MariaDB {@code 0-1-1234,1-2-7} or a MySQL
     * set {@code uuid:1-1234}; null when there is none.
     */
    public static Double gtidSequence(String gtid) {
        if (gtid == null || gtid.isBlank()) {
            return null;
        }
        long max = -1;
        for (String part : gtid.replace("\n", "").split(",")) {
            String p = part.trim();
            int cut = Math.max(p.lastIndexOf('-'), p.lastIndexOf(':'));
            if (cut < 0) {
                continue;
            }
            try {
                max = Math.max(max, Long.parseLong(p.substring(cut + 1)));
            } catch (NumberFormatException ignored) {
                // not a sequence: skip this part
            }
        }
        return max < 0 ? null : (double) max;
    }

    private static String first(Map<String, String> row, String... names) {
        for (String n : names) {
            if (row.containsKey(n)) {
                return row.get(n);
            }
        }
        return null;
    }

    /** One row of {@code information_schema.PROCESSLIST}. */
    public record Process(long id, String user, String command, long seconds, String info) {
    }

    /** Threads in all, threads doing something, and the longest running query with its id, user and fingerprint. */
    public record ProcesslistSummary(Map<String, Double> fields, Map<String, String> tags) {
    }

    public static ProcesslistSummary processlist(List<Process> rows, long ownConnectionId, Fingerprinter fingerprinter) {
        int total = 0;
        int active = 0;
        Process longest = null;
        for (Process p : rows) {
            if (p.id() == ownConnectionId || "system user".equals(p.user()) || "event_scheduler".equals(p.user())) {
                continue;
            }
            total++;
            String cmd = p.command() == null ? "" : p.command().toLowerCase(Locale.ROOT);
            if (IDLE_COMMANDS.contains(cmd)) {
                continue;
            }
            active++;
            if (cmd.equals("query") && p.info() != null && (longest == null || p.seconds() > longest.seconds())) {
                longest = p;
            }
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("threads_total", (double) total);
        f.put("threads_active", (double) active);
        f.put("longest_query_seconds", longest == null ? 0.0 : (double) longest.seconds());
        Map<String, String> tags = new LinkedHashMap<>();
        if (longest != null) {
            f.put("longest_query_id", (double) longest.id());
            tags.put("info.longest_user", longest.user());
            tags.put("info.longest_fingerprint", fingerprinter.fingerprint(longest.info()));
        }
        return new ProcesslistSummary(f, tags);
    }
}
