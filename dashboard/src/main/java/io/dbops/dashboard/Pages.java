package io.dbops.dashboard;

import static io.dbops.dashboard.DashboardApp.id;
import static io.dbops.dashboard.DashboardApp.requireAdmin;
import static io.dbops.dashboard.DashboardApp.requireDba;
import static io.dbops.dashboard.DashboardApp.who;

import io.dbops.actions.run.Run;
import io.dbops.dashboard.auth.PasswordHash;
import io.dbops.dashboard.auth.Principal;
import io.dbops.events.Alarm;
import io.dbops.events.Engine;
import io.dbops.events.Incident;
import io.dbops.metadata.InventoryInstance;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/** The server-rendered pages. Each renders what the user may see; the page script then follows the live stream. */
final class Pages {
    private final DashboardApp app;
    private final Api api;

    Pages(DashboardApp app, Api api) {
        this.app = app;
        this.api = api;
    }

    void routes(RoutesConfig r) {
        r.get("/login", ctx -> login(ctx, null));
        r.post("/login", ctx -> {
            String error = app.login(ctx, ctx.formParam("user"), ctx.formParam("password"), ctx.formParam("_csrf"));
            if (error != null) {
                login(ctx, error);
                return;
            }
            String next = ctx.formParam("next");
            ctx.redirect(next != null && next.startsWith("/") && !next.startsWith("//") ? next : "/fleet");
        });
        r.post("/logout", ctx -> {
            app.logout(ctx);
            ctx.redirect("/login");
        });
        r.get("/", ctx -> ctx.redirect("/fleet"));
        r.get("/fleet", ctx -> {
            Principal p = who(ctx);
            List<InventoryInstance> all = app.visibleInstances(p);
            String bl = ctx.queryParam("business_line");
            String engine = ctx.queryParam("engine");
            String cluster = ctx.queryParam("cluster");
            List<InventoryInstance> shown = all.stream()
                    .filter(i -> bl == null || bl.isEmpty() || bl.equals(i.businessLine()))
                    .filter(i -> engine == null || engine.isEmpty() || engine.equalsIgnoreCase(i.engine().name()))
                    .filter(i -> cluster == null || cluster.isEmpty() || cluster.equals(i.cluster())).toList();
            Map<String, Integer> incidents = new LinkedHashMap<>();
            for (Incident inc : app.visibleIncidents(p, true)) {
                if (inc.instances() != null) {
                    inc.instances().forEach(ref -> incidents.merge(ref.id(), 1, Integer::sum));
                }
            }
            Map<String, Object> m = model(ctx, "Fleet", "fleet");
            m.put("instances", shown);
            m.put("live", app.services().live().fleet().rows());
            m.put("incidents", incidents);
            m.put("businessLines", all.stream().map(InventoryInstance::businessLine).distinct().sorted().toList());
            m.put("clusters", all.stream().map(InventoryInstance::cluster).filter(java.util.Objects::nonNull).distinct().sorted().toList());
            m.put("filter", new String[] {nz(bl), nz(engine), nz(cluster)});
            app.render(ctx, "fleet.jte", m);
        });
        r.get("/instances/{id}", ctx -> {
            InventoryInstance i = app.visibleInstance(ctx, id(ctx, "id"));
            Map<String, Object> m = model(ctx, i.id(), "fleet");
            m.put("instance", i);
            m.put("row", app.services().live().fleet().row(i.id()));
            m.put("alarms", app.visibleAlarms(who(ctx), i.id(), 20));
            Instant now = Instant.now();
            m.put("top", app.slowSql().top(new SlowSqlStore.Scope(i.id(), null, null), now.minus(Duration.ofHours(24)), now.plusSeconds(60),
                    "total", 10, Api.visibleLines(who(ctx))));
            app.render(ctx, "instance.jte", m);
        });
        r.get("/slowsql", ctx -> {
            SlowSqlStore.Scope scope = api.scope(ctx);
            Duration range = Api.range(ctx);
            String order = ctx.queryParamAsClass("order", String.class).getOrDefault("total");
            order = List.of("total", "p95", "calls").contains(order) ? order : "total";
            Instant now = Instant.now();
            Map<String, Object> m = model(ctx, "Slow SQL", "slowsql");
            m.put("top", app.slowSql().top(scope, now.minus(range), now.plusSeconds(60), order, Api.limit(ctx, 25), Api.visibleLines(who(ctx))));
            m.put("scope", scope);
            m.put("range", ctx.queryParamAsClass("range", String.class).getOrDefault("1h"));
            m.put("order", order);
            app.render(ctx, "slowsql.jte", m);
        });
        r.get("/slowsql/{queryId}", ctx -> {
            Map<String, Object> q = api.queryClass(ctx);
            Map<String, Object> m = model(ctx, "Query " + ctx.pathParam("queryId"), "slowsql");
            m.putAll(q);
            m.put("range", ctx.queryParamAsClass("range", String.class).getOrDefault("24h"));
            app.render(ctx, "query.jte", m);
        });
        r.get("/incidents", ctx -> {
            Map<String, Object> m = model(ctx, "Incidents and alarms", "incidents");
            m.put("incidents", app.visibleIncidents(who(ctx), !"all".equals(ctx.queryParam("status"))));
            List<Alarm> alarms = app.visibleAlarms(who(ctx), null, 100);
            m.put("alarms", alarms);
            m.put("acks", app.ops().acks());
            m.put("silenced", silenced(alarms));
            app.render(ctx, "incidents.jte", m);
        });
        r.get("/incidents/{id}", ctx -> {
            Incident inc = app.visibleIncident(ctx, id(ctx, "id"));
            List<Alarm> members = api.members(inc);
            Map<String, Object> m = model(ctx, inc.title(), "incidents");
            m.put("incident", inc);
            m.put("groups", groups(inc, members));
            m.put("ack", app.ops().acks().get(inc.id()));
            app.render(ctx, "incident.jte", m);
        });
        r.get("/runs", ctx -> {
            Map<String, Object> m = model(ctx, "Action runs", "runs");
            m.put("runs", app.visibleRuns(who(ctx), 100));
            app.render(ctx, "runs.jte", m);
        });
        r.get("/runs/{id}", ctx -> {
            Run run = app.visibleRun(ctx, id(ctx, "id"));
            Map<String, Object> m = model(ctx, "Run " + run.id(), "runs");
            m.put("run", run);
            m.put("steps", app.runs().steps(run.id()));
            m.put("log", app.runs().log(run.id(), 0));
            app.render(ctx, "run.jte", m);
        });
        r.get("/requests/new", ctx -> {
            Principal p = who(ctx);
            List<InventoryInstance> mine = app.visibleInstances(p);
            Map<String, Object> m = model(ctx, "Self-service", "requests");
            m.put("formId", PasswordHash.randomToken(18));
            m.put("businessLines", p.seesAll() ? app.inventory().businessLines() : new ArrayList<>(p.businessLines()));
            m.put("primaries", mine.stream().filter(i -> "primary".equals(i.role())).toList());
            m.put("replicas", mine.stream().filter(i -> "replica".equals(i.role()) && i.engine() == Engine.MARIADB).toList());
            m.put("backupable", mine.stream().filter(i -> i.engine() == Engine.MARIADB || i.engine() == Engine.REDIS)
                    .filter(i -> !"sentinel".equals(i.role())).toList());
            app.render(ctx, "request.jte", m);
        });
        r.get("/ops", ctx -> {
            requireDba(ctx);
            Map<String, Object> m = model(ctx, "Silences and maintenance", "ops");
            m.put("silences", app.ops().silences(Instant.now()));
            m.put("windows", app.ops().windows(Instant.now()));
            app.render(ctx, "ops.jte", m);
        });
        r.get("/audit", ctx -> {
            requireDba(ctx);
            Map<String, Object> m = model(ctx, "Audit log", "audit");
            m.put("entries", app.audit().recent(300, null));
            app.render(ctx, "audit.jte", m);
        });
        r.get("/admin/users", ctx -> {
            requireAdmin(ctx);
            Map<String, Object> m = model(ctx, "Users", "users");
            m.put("users", app.accounts().list());
            app.render(ctx, "users.jte", m);
        });
        r.get("/account", ctx -> app.render(ctx, "account.jte", model(ctx, "Account", "account")));
    }

    /** Ids of the alarms a silence in force covers (shown muted). */
    private java.util.Set<String> silenced(List<Alarm> alarms) throws Exception {
        Instant now = Instant.now();
        List<OpsStore.Silence> silences = app.ops().silences(now);
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Alarm a : alarms) {
            String instance = a.instance() == null ? null : a.instance().id();
            String cluster = a.instance() == null ? null : a.instance().cluster();
            if (silences.stream().anyMatch(s -> s.covers(instance, cluster, a.type(), now))) {
                out.add(a.id());
            }
        }
        return out;
    }

    private void login(Context ctx, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("csrf", app.loginCsrf(ctx));
        m.put("error", error);
        m.put("next", nz(ctx.queryParam("next")).isEmpty() ? nz(ctx.formParam("next")) : ctx.queryParam("next"));
        app.render(ctx, "login.jte", m);
    }

    private Map<String, Object> model(Context ctx, String title, String active) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("page", app.page(ctx, title, active));
        return m;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * Member alarms grouped by topology: the root-cause candidate's group first with it on top, then
     * host-level groups, then by time; within a group, host-level alarms first, then by start time.
     */
    static List<io.dbops.dashboard.web.AlarmGroup> groups(Incident inc, List<Alarm> members) {
        Map<String, List<Alarm>> byPlace = new LinkedHashMap<>();
        List<Alarm> sorted = new ArrayList<>(members);
        sorted.sort(java.util.Comparator.comparing((Alarm a) -> !a.id().equals(inc.rootCauseAlarmId()))
                .thenComparing(a -> a.instance() != null)
                .thenComparing(a -> a.startsAt() == null ? a.time() : a.startsAt()));
        for (Alarm a : sorted) {
            String host = a.host() != null ? a.host() : a.instance() != null ? a.instance().host() : null;
            String place = host != null ? "host " + host : a.instance() != null ? "instance " + a.instance().id() : "elsewhere";
            byPlace.computeIfAbsent(place, k -> new ArrayList<>()).add(a);
        }
        List<io.dbops.dashboard.web.AlarmGroup> out = new ArrayList<>();
        byPlace.forEach((k, v) -> out.add(new io.dbops.dashboard.web.AlarmGroup(k + " (" + v.size() + ")", v)));
        return out;
    }

}
