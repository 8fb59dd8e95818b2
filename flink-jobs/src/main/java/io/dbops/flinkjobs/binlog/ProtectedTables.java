package io.dbops.flinkjobs.binlog;

import io.dbops.events.InstanceRef;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tables DBAs marked protected: any write to one raises a critical alarm. A rule names a replication
 * set ({@code cluster}) or one instance, or neither (every instance), and database and table
 * patterns where {@code *} matches any run of characters and {@code ?} one character (case
 * insensitive, as table names are on most servers).
 */
public final class ProtectedTables implements Serializable {
    /** One protection: where, which tables, and why (shown in the alarm). */
    public record Rule(String cluster, String instance, String database, String table, String reason) implements Serializable {
        boolean matches(InstanceRef i, String db, String t) {
            if (cluster != null && (i == null || !cluster.equals(i.cluster()))) {
                return false;
            }
            if (instance != null && (i == null || !instance.equals(i.id()))) {
                return false;
            }
            return io.dbops.events.Glob.compile(database).matcher(db == null ? "" : db).matches() && io.dbops.events.Glob.compile(table).matcher(t == null ? "" : t).matches();
        }

        /** The rule as people write it: [cluster|instance:]db.table. */
        public String describe() {
            String where = cluster != null ? "cluster " + cluster + " " : instance != null ? "instance " + instance + " " : "";
            return where + database + "." + table;
        }
    }

    private final List<Rule> rules;

    public ProtectedTables(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static final ProtectedTables NONE = new ProtectedTables(List.of());

    public List<Rule> rules() {
        return rules;
    }

    /** The first rule protecting {@code db.table} on instance {@code i}, or null. */
    public Rule match(InstanceRef i, String db, String table) {
        for (Rule r : rules) {
            if (r.matches(i, db, table)) {
                return r;
            }
        }
        return null;
    }

    /** Parses "[cluster:NAME/|instance:ID/]db.table" (the job config's form); throws with the reason. */
    public static Rule parse(String spec, String reason) {
        String s = spec.trim();
        String cluster = null;
        String instance = null;
        int slash = s.indexOf('/');
        if (slash > 0) {
            String where = s.substring(0, slash);
            s = s.substring(slash + 1);
            if (where.toLowerCase(Locale.ROOT).startsWith("cluster:")) {
                cluster = where.substring(8);
            } else if (where.toLowerCase(Locale.ROOT).startsWith("instance:")) {
                instance = where.substring(9);
            } else {
                throw new IllegalArgumentException("'" + spec + "': the part before '/' must be cluster:NAME or instance:ID");
            }
        }
        int dot = s.indexOf('.');
        if (dot <= 0 || dot == s.length() - 1) {
            throw new IllegalArgumentException("'" + spec + "': expected db.table (patterns with * and ? allowed)");
        }
        return new Rule(cluster, instance, s.substring(0, dot), s.substring(dot + 1), reason);
    }
}
