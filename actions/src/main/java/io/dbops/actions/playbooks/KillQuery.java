package io.dbops.actions.playbooks;

import static io.dbops.actions.playbooks.MariaDbFailover.instance;

import io.dbops.actions.run.Param;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Remediation of an overloaded MySQL/MariaDB server: kills the queries (not the sessions) running
 * longer than a limit, only for allowed users and never for denied ones (replication, the
 * platform's own accounts, system threads), optionally only those whose text matches a pattern.
 * The candidates are listed first (also in a dry run); a query is killed only if the same thread
 * still runs the same statement.
 */
public final class KillQuery extends NamedPlaybook {
    public static final String NAME = "kill_query";
    static final Set<String> ALWAYS_DENIED = Set.of("system user", "event_scheduler", "dbops_repl", "dbops_admin", "dbops_monitor", "root");

    public KillQuery() {
        super(NAME, "kill runaway queries on an instance (time limit, user allow/deny lists, text pattern)", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.INSTANCE, "the overloaded server"),
                Param.optional("min_seconds", Param.Type.INT, "only queries running at least this long (default 60)"),
                Param.optional("allow_users", Param.Type.STRING, "comma-separated users whose queries may be killed (default: any not denied)"),
                Param.optional("deny_users", Param.Type.STRING, "comma-separated users never touched (added to the platform's own)"),
                Param.optional("pattern", Param.Type.STRING, "only queries whose text matches this regular expression"),
                Param.optional("max_kills", Param.Type.INT, "at most this many (default 20)"),
                Param.optional("confirm", Param.Type.BOOL, "pause after listing until a DBA approves the list (default false)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("find_queries").readOnly().timeout(Duration.ofSeconds(20))
                        .describe(ctx -> "list queries on " + ctx.param("instance") + " running over " + ctx.param("min_seconds", "60") + " s")
                        .does(KillQuery::find),
                new io.dbops.actions.steps.Approval("kill the queries listed above", ctx -> "true".equals(ctx.param("confirm"))),
                Steps.named("kill").timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "KILL QUERY " + (MariaDbFailover.blank(ctx.fact("threads")) ? "(none)" : ctx.fact("threads")))
                        .does(KillQuery::kill));
    }

    private static void find(StepContext ctx) throws Exception {
        int minSeconds = Integer.parseInt(ctx.param("min_seconds", "60"));
        int max = Integer.parseInt(ctx.param("max_kills", "20"));
        List<String> allow = csv(ctx.param("allow_users"));
        List<String> deny = new ArrayList<>(csv(ctx.param("deny_users")));
        deny.addAll(ALWAYS_DENIED);
        Pattern pattern;
        try {
            pattern = ctx.param("pattern") == null ? null : Pattern.compile(ctx.param("pattern"), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw StepFailure.fatal("parameter 'pattern' is not a regular expression: " + e.getDescription());
        }
        List<String> threads = new ArrayList<>();
        try (Connection c = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.param("instance")));
             PreparedStatement ps = c.prepareStatement("SELECT ID, USER, TIME, LEFT(INFO, 300) FROM information_schema.PROCESSLIST "
                     + "WHERE COMMAND = 'Query' AND INFO IS NOT NULL AND ID <> CONNECTION_ID() AND TIME >= ? ORDER BY TIME DESC");) {
            ps.setInt(1, minSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String user = rs.getString(2);
                    String info = rs.getString(4);
                    String why = deny.contains(user) ? "denied user" : !allow.isEmpty() && !allow.contains(user) ? "user not allowed"
                            : pattern != null && !pattern.matcher(info).find() ? "text does not match" : threads.size() >= max ? "over max_kills" : null;
                    ctx.out((why == null ? "KILL " : "keep ") + "thread " + rs.getLong(1) + " user " + user + ", " + rs.getLong(3) + " s: "
                            + info.replaceAll("\\s+", " ") + (why == null ? "" : " (" + why + ")"));
                    if (why == null) {
                        threads.add(rs.getLong(1) + ":" + Integer.toHexString(info.hashCode()));
                    }
                }
            }
        }
        ctx.putFact("threads", String.join(",", threads));
        ctx.out(threads.size() + " queries to kill");
    }

    private static void kill(StepContext ctx) throws Exception {
        List<String> threads = MariaDbFailover.list(ctx.fact("threads"));
        int killed = 0;
        try (Connection c = ctx.fleet().mariadb(instance(ctx.fleet(), ctx.param("instance")))) {
            for (String t : threads) {
                long id = Long.parseLong(t.substring(0, t.indexOf(':')));
                String hash = t.substring(t.indexOf(':') + 1);
                try (PreparedStatement ps = c.prepareStatement("SELECT LEFT(INFO, 300) FROM information_schema.PROCESSLIST WHERE ID = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || rs.getString(1) == null || !Integer.toHexString(rs.getString(1).hashCode()).equals(hash)) {
                            ctx.out("thread " + id + " no longer runs that query: left alone");
                            continue;
                        }
                    }
                }
                MariaDb.exec(c, "KILL QUERY " + id);
                killed++;
                ctx.out("killed the query of thread " + id);
            }
        }
        ctx.out(killed + " queries killed");
    }

    private static List<String> csv(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
