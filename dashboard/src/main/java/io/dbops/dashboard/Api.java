package io.dbops.dashboard;

import static io.dbops.dashboard.DashboardApp.id;
import static io.dbops.dashboard.DashboardApp.requireAdmin;
import static io.dbops.dashboard.DashboardApp.requireDba;
import static io.dbops.dashboard.DashboardApp.who;

import io.dbops.actions.run.Run;
import io.dbops.dashboard.auth.Principal;
import io.dbops.dashboard.web.Input;
import io.dbops.events.ActionRequest;
import io.dbops.events.Alarm;
import io.dbops.events.Incident;
import io.dbops.metadata.InventoryInstance;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON API: everything the pages do, for scripts and other tools (session cookie plus CSRF
 * header from the pages, or {@code Authorization: Bearer dbops_...}). Documented in
 * {@code src/main/resources/web/openapi.json}; a test checks that every route here is in it.
 */
final class Api {
    private static final Pattern NAME = SelfService.NAME;
    private final DashboardApp app;

    Api(DashboardApp app) {
        this.app = app;
    }

    void routes(RoutesConfig r) {
        r.get("/api/openapi.json", ctx -> ctx.contentType("application/json")
                .result(DashboardApp.class.getResourceAsStream("/web/openapi.json")));
        r.get("/api/me", ctx -> ctx.json(Map.of("name", who(ctx).name(), "role", who(ctx).role().label(), "business_lines",
                who(ctx).businessLines())));
        r.get("/api/instances", this::instances);
        r.get("/api/instances/{id}", ctx -> {
            InventoryInstance i = app.visibleInstance(ctx, id(ctx, "id"));
            ctx.json(Map.of("instance", i, "live", nullable(app.services().live().fleet().row(i.id())),
                    "alarms", app.visibleAlarms(who(ctx), i.id(), 50)));
        });
        r.get("/api/instances/{id}/live", ctx -> ctx.json(app.services().live().fleet().points(app.visibleInstance(ctx, id(ctx, "id")).id())));
        r.get("/api/instances/{id}/history", ctx -> {
            InventoryInstance i = app.visibleInstance(ctx, id(ctx, "id"));
            Duration range = range(ctx);
            ctx.json(app.services().history().range(i.id(), i.engine(), range, Instant.now()));
        });
        r.get("/api/slowsql", this::slowSqlTop);
        r.get("/api/slowsql/{queryId}", ctx -> ctx.json(queryClass(ctx)));
        r.get("/api/incidents", ctx -> ctx.json(incidents(ctx, !"all".equals(ctx.queryParam("status")))));
        r.get("/api/incidents/{id}", ctx -> {
            Incident inc = app.visibleIncident(ctx, id(ctx, "id"));
            ctx.json(Map.of("incident", inc, "alarms", members(inc), "ack", nullable(app.ops().acks().get(inc.id()))));
        });
        r.post("/api/incidents/{id}/ack", this::ack);
        r.get("/api/alarms", ctx -> ctx.json(app.visibleAlarms(who(ctx), ctx.queryParam("instance"), limit(ctx, 200))));
        r.get("/api/silences", ctx -> ctx.json(app.ops().silences(Instant.now())));
        r.post("/api/silences", this::silence);
        r.get("/api/maintenance", ctx -> ctx.json(app.ops().windows(Instant.now())));
        r.post("/api/maintenance", this::maintenance);
        r.get("/api/runs", ctx -> ctx.json(app.visibleRuns(who(ctx), limit(ctx, 100))));
        r.get("/api/runs/{id}", ctx -> {
            Run run = app.visibleRun(ctx, id(ctx, "id"));
            long from = parseLong(ctx.queryParam("from"), 0);
            ctx.json(Map.of("run", run, "steps", app.runs().steps(run.id()), "log", app.runs().log(run.id(), from)));
        });
        r.post("/api/runs/{id}/approve", ctx -> decide(ctx, true));
        r.post("/api/runs/{id}/reject", ctx -> decide(ctx, false));
        r.get("/api/placement", this::placement);
        r.post("/api/requests", ctx -> {
            SelfService.Filing f = app.fileRequest(ctx, input(ctx));
            ActionRequest req = f.request();
            ctx.status(202).json(Map.of("request", req.id(), "playbook", req.playbook(),
                    "then", f.followUps().stream().map(x -> x.request().id()).toList(),
                    "message", "filed; the run appears under /runs as soon as the action service takes it"
                            + (f.followUps().isEmpty() ? "" : "; the other members are filed once it succeeded")));
        });
        r.post("/api/flashback", this::flashback);
        r.get("/api/audit", ctx -> {
            requireDba(ctx);
            ctx.json(app.audit().recent(limit(ctx, 200), ctx.queryParam("user")));
        });
        r.get("/api/users", ctx -> {
            requireAdmin(ctx);
            ctx.json(app.accounts().list());
        });
        r.post("/api/users", this::saveUser);
        r.post("/api/tokens", ctx -> {
            Input in = input(ctx);
            String label = in.text("label", true, 128, null, null);
            in.check();
            String token = app.accounts().createToken(who(ctx).name(), label);
            app.audit().record(who(ctx).name(), "token_created", label, null, null, ctx.ip());
            ctx.status(201).json(Map.of("token", token, "message", "shown once: store it now"));
        });
    }

    /** The body of a POST as fields: JSON when it says so (and must then be a JSON object), else form fields. */
    static Input input(Context ctx) {
        String type = String.valueOf(ctx.contentType());
        if (type.startsWith("application/json")) {
            return Input.json(ctx.body());
        }
        if (ctx.isFormUrlencoded()) {
            return Input.form(ctx.formParamMap());
        }
        throw new HttpResponseException(415, "send application/json or a form (got " + type + ")");
    }

    private void instances(Context ctx) throws Exception {
        String bl = ctx.queryParam("business_line");
        String engine = ctx.queryParam("engine");
        String cluster = ctx.queryParam("cluster");
        var live = app.services().live().fleet();
        var open = app.visibleIncidents(who(ctx), true);
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (InventoryInstance i : app.visibleInstances(who(ctx))) {
            if ((bl != null && !bl.equals(i.businessLine())) || (cluster != null && !cluster.equals(i.cluster()))
                    || (engine != null && !engine.equalsIgnoreCase(i.engine().name()))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instance", i);
            m.put("live", live.row(i.id()));
            m.put("open_incidents", open.stream().filter(x -> x.instances() != null
                    && x.instances().stream().anyMatch(ref -> ref.id().equals(i.id()))).map(Incident::id).toList());
            out.add(m);
        }
        ctx.json(out);
    }

    static Duration range(Context ctx) {
        String v = ctx.queryParamAsClass("range", String.class).getOrDefault("1h");
        Duration d = History.RANGES.get(v);
        if (d == null) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("range", "must be one of 1h, 24h, 7d, got '" + abbreviate(v) + "'"));
        }
        return d;
    }

    static int limit(Context ctx, int dflt) {
        String v = ctx.queryParam("limit");
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new io.dbops.dashboard.web.InvalidInput(Map.of("limit", "must be a whole number from 1 to 1000"));
    }

    private static String abbreviate(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }

    private static long parseLong(String v, long dflt) {
        try {
            return v == null ? dflt : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("from", "must be a whole number"));
        }
    }

    private static Object nullable(Object o) {
        return o == null ? Map.of() : o;
    }

    /** The slow-SQL scope of a request: instance, cluster or business line, checked against what the user may see. */
    SlowSqlStore.Scope scope(Context ctx) throws Exception {
        Principal p = who(ctx);
        String instance = ctx.queryParam("instance");
        String cluster = ctx.queryParam("cluster");
        String bl = ctx.queryParam("business_line");
        if (instance != null) {
            app.visibleInstance(ctx, instance);
        }
        if (bl != null && !p.canSee(bl)) {
            throw new HttpResponseException(404, "no business line " + bl);
        }
        for (String v : new String[] {instance, cluster, bl}) {
            if (v != null && !NAME.matcher(v).matches()) {
                throw new io.dbops.dashboard.web.InvalidInput(Map.of("scope", "names are letters, digits, '.', '_' or '-'"));
            }
        }
        return new SlowSqlStore.Scope(instance, cluster, bl);
    }

    static Set<String> visibleLines(Principal p) {
        return p.seesAll() ? null : p.businessLines();
    }

    private void slowSqlTop(Context ctx) throws Exception {
        SlowSqlStore.Scope scope = scope(ctx);
        Duration range = range(ctx);
        String order = ctx.queryParamAsClass("order", String.class).getOrDefault("total");
        if (!List.of("total", "p95", "calls").contains(order)) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("order", "must be one of total, p95, calls"));
        }
        Instant now = Instant.now();
        ctx.json(app.slowSql().top(scope, now.minus(range), now.plusSeconds(60), order, limit(ctx, 20), visibleLines(who(ctx))));
    }

    Map<String, Object> queryClass(Context ctx) throws Exception {
        String qid = ctx.pathParam("queryId");
        if (!qid.matches("[0-9A-Fa-f]{1,32}")) {
            throw new HttpResponseException(404, "no query " + abbreviate(qid));
        }
        Principal p = who(ctx);
        var qc = app.slowSql().queryClass(qid.toUpperCase(java.util.Locale.ROOT)).orElse(null);
        if (qc == null || !p.canSeeAny(app.slowSql().businessLines(qc.queryId()))) {
            throw new HttpResponseException(404, "no query " + qid);
        }
        Duration range = range(ctx);
        Instant now = Instant.now();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", qc);
        out.put("history", app.slowSql().history(qc.queryId(), now.minus(range), now.plusSeconds(60), visibleLines(p)));
        return out;
    }

    List<Incident> incidents(Context ctx, boolean openOnly) {
        return app.visibleIncidents(who(ctx), openOnly);
    }

    List<Alarm> members(Incident inc) {
        List<Alarm> out = new java.util.ArrayList<>();
        if (inc.alarmIds() != null) {
            for (String id : inc.alarmIds()) {
                Alarm a = app.services().live().alarm(id);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private void ack(Context ctx) throws Exception {
        requireDba(ctx);
        Incident inc = app.visibleIncident(ctx, id(ctx, "id"));
        Input in = input(ctx);
        String note = in.text("note", false, 500, null, null);
        in.check();
        app.ops().ack(inc.id(), who(ctx).name(), note);
        app.audit().record(who(ctx).name(), "ack", "incident " + inc.id(), null, note, ctx.ip());
        var ack = app.ops().acks().get(inc.id());
        app.services().live().publish("incident", "ack", ack, inc.businessLines());
        ctx.json(ack);
    }

    private void silence(Context ctx) throws Exception {
        requireDba(ctx);
        Input in = input(ctx);
        String instance = in.text("instance", false, 128, NAME, "an instance id");
        String cluster = in.text("cluster", false, 128, NAME, "a cluster name");
        String type = in.text("alarm_type", false, 128, Pattern.compile("[A-Za-z0-9_.:-]+"), "an alarm type");
        Duration d = in.duration("duration", true, Duration.ofDays(30));
        String reason = in.text("reason", true, 255, null, null);
        if (instance == null && cluster == null && type == null) {
            in.problem("instance", "name an instance, a cluster or an alarm type (a silence of everything is not allowed)");
        }
        in.check();
        Instant now = Instant.now();
        long id = app.ops().silence(instance, cluster, type, null, now, now.plus(d), reason, who(ctx).name());
        app.audit().record(who(ctx).name(), "silence", "silence " + id, null,
                "instance=" + instance + " cluster=" + cluster + " type=" + type + " for " + d + ": " + reason, ctx.ip());
        ctx.status(201).json(Map.of("id", id, "ends_at", now.plus(d).toString()));
    }

    private void maintenance(Context ctx) throws Exception {
        requireDba(ctx);
        Input in = input(ctx);
        String instance = in.text("instance", false, 128, NAME, "an instance id");
        String cluster = in.text("cluster", false, 128, NAME, "a cluster name");
        String bl = in.text("business_line", false, 64, NAME, "a business line");
        Instant from = in.time("starts_at", false);
        Duration d = in.duration("duration", true, Duration.ofDays(7));
        String reason = in.text("reason", true, 255, null, null);
        in.check();
        Instant start = from == null ? Instant.now() : from;
        app.runs().addMaintenance(instance, cluster, bl, start, start.plus(d), reason, who(ctx).name());
        app.audit().record(who(ctx).name(), "maintenance", instance != null ? instance : cluster != null ? cluster : bl != null ? bl : "everything",
                bl, start + " for " + d + ": " + reason, ctx.ip());
        ctx.status(201).json(Map.of("starts_at", start.toString(), "ends_at", start.plus(d).toString()));
    }

    private void decide(Context ctx, boolean approve) throws Exception {
        String runId = id(ctx, "id");
        Input in = ctx.body().isBlank() ? Input.json("{}") : input(ctx);
        String reason = in.text("reason", false, 500, null, null);
        in.check();
        String refusal = app.decide(ctx, runId, approve, reason);
        if (refusal != null) {
            ctx.status(409).json(Map.of("error", refusal));
            return;
        }
        ctx.json(Map.of("run", runId, "state", approve ? "approved" : "rejected"));
    }

    private void placement(Context ctx) throws Exception {
        String cluster = ctx.queryParam("cluster");
        String replicaOf = ctx.queryParam("replica_of");
        int port;
        try {
            port = Integer.parseInt(ctx.queryParamAsClass("port", String.class).getOrDefault("3306"));
        } catch (NumberFormatException e) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("port", "must be a whole number"));
        }
        if (replicaOf != null) {
            cluster = app.visibleInstance(ctx, replicaOf).cluster();
        }
        if (cluster != null && !NAME.matcher(cluster).matches()) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("cluster", "names are letters, digits, '.', '_' or '-'"));
        }
        String engine = ctx.queryParam("engine");
        if (engine != null && !engine.equals("mariadb") && !engine.equals("redis")) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("engine", "must be mariadb or redis"));
        }
        String size = ctx.queryParam("size");
        if (size != null && !List.of("small", "medium", "large").contains(size)) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("size", "must be small, medium or large"));
        }
        String business = ctx.queryParam("business_line");
        if (business != null && !NAME.matcher(business).matches()) {
            throw new io.dbops.dashboard.web.InvalidInput(Map.of("business_line", "names are letters, digits, '.', '_' or '-'"));
        }
        ctx.json(app.selfService().placement(engine, business, size, cluster, replicaOf != null, port, null, ctx.queryParam("name")));
    }

    /** Flashback SQL for a table over a time range, for review (nothing is applied); scoped and audited like a request. */
    private void flashback(Context ctx) throws Exception {
        Input in = input(ctx);
        String instanceId = in.text("instance", true, 128, NAME, "an instance id");
        String table = in.text("table", true, 129, Pattern.compile("[A-Za-z0-9_$]{1,64}\\.[A-Za-z0-9_$]{1,64}"), "db.table");
        Instant from = in.time("from", true);
        Instant to = in.time("to", true);
        boolean force = in.bool("force");
        if (from != null && to != null && !from.isBefore(to)) {
            in.problem("to", "must be after from");
        }
        if (from != null && to != null && Duration.between(from, to).compareTo(Duration.ofDays(7)) > 0) {
            in.problem("to", "the range is at most 7 days (the topic's retention)");
        }
        in.check();
        InventoryInstance i = app.visibleInstance(ctx, instanceId);
        io.dbops.cdc.Flashback.Result r;
        try {
            r = app.services().flashbacks().generate(i, table, from, to, force);
        } catch (IllegalArgumentException e) {
            throw io.dbops.dashboard.web.InvalidInput.of("table", e.getMessage());
        }
        app.audit().record(who(ctx).name(), "flashback", i.id() + " " + table, i.businessLine(), from + " .. " + to
                + (r.refused() ? " refused: " + r.problems() : ", " + r.statements() + " statements" + (force ? " (forced)" : "")), ctx.ip());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statements", r.statements());
        out.put("problems", r.problems());
        out.put("overwritten", r.overwritten().size());
        out.put("sql", r.sql() == null ? "-- not generated:\n-- " + String.join("\n-- ", r.problems()) : r.sql());
        ctx.status(r.refused() ? 409 : 200).json(out);
    }

    private void saveUser(Context ctx) throws Exception {
        requireAdmin(ctx);
        Input in = input(ctx);
        String name = in.text("name", true, 64, NAME, "letters, digits, '.', '_' or '-'");
        String role = in.choice("role", true, List.of("developer", "dba", "admin"));
        String lines = in.text("business_lines", false, 1000, Pattern.compile("[A-Za-z0-9_.,\\s-]*"), "comma-separated business lines");
        String password = in.text("password", false, 1024, null, null);
        boolean disabled = in.bool("disabled");
        if (password != null && password.length() < 12) {
            in.problem("password", "must be at least 12 characters");
        }
        Set<String> set = new LinkedHashSet<>();
        if (lines != null) {
            for (String l : lines.split(",")) {
                if (!l.isBlank()) {
                    set.add(l.trim());
                }
            }
        }
        List<String> known = app.inventory().businessLines();
        for (String l : set) {
            if (!known.contains(l)) {
                in.problem("business_lines", "no business line " + l);
            }
        }
        if ("developer".equals(role) && set.isEmpty()) {
            in.problem("business_lines", "a developer needs at least one business line");
        }
        in.check();
        app.accounts().save(name, Principal.Role.parse(role), set, password);
        app.accounts().setDisabled(name, disabled);
        app.sessions().endAll(name);
        app.audit().record(who(ctx).name(), "user_saved", name, null, "role=" + role + " business_lines=" + set
                + (password != null ? " password changed" : "") + (disabled ? " disabled" : ""), ctx.ip());
        ctx.status(201).json(Map.of("name", name, "role", role, "business_lines", set));
    }
}
