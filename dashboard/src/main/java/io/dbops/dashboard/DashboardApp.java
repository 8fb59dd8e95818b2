package io.dbops.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.dbops.actions.ActionService;
import io.dbops.actions.backup.BackupCatalog;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.dashboard.auth.Accounts;
import io.dbops.dashboard.auth.LoginThrottle;
import io.dbops.dashboard.auth.PasswordHash;
import io.dbops.dashboard.auth.Principal;
import io.dbops.dashboard.auth.Sessions;
import io.dbops.dashboard.live.LiveHub;
import io.dbops.dashboard.live.Subscriber;
import io.dbops.dashboard.web.Input;
import io.dbops.dashboard.web.InvalidInput;
import io.dbops.dashboard.web.Page;
import io.dbops.events.ActionRequest;
import io.dbops.events.Alarm;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpResponseException;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: server-rendered pages (JTE, escaped by default), the JSON API behind them
 * ({@code /api}, documented in {@code /api/openapi.json}, usable with API tokens) and the live
 * stream ({@code /live}, server-sent events fed from Kafka). Sign-in, roles and business-line
 * scoping are checked here for every page, call and stream.
 */
public final class DashboardApp {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardApp.class);
    static final String SESSION_COOKIE = "dbops_session";
    static final String LOGIN_CSRF_COOKIE = "dbops_login";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
    private static final Set<String> PUBLIC = Set.of("/login", "/healthz", "/api/openapi.json");

    /** What the app talks to. {@code publisher} files requests and rule packs (Kafka in production). */
    public record Services(DataSource db, LiveHub live, History history, Publisher publisher, Flashbacks flashbacks) {
    }

    /** Flashback SQL for a table of an instance over a time range, from the captured binlog. */
    public interface Flashbacks {
        io.dbops.cdc.Flashback.Result generate(InventoryInstance instance, String table, Instant from, Instant to, boolean force) throws Exception;
    }

    /** Publishes an event and returns once it is durable (the broker acknowledged it). */
    public interface Publisher {
        void publish(io.dbops.events.Topic topic, String key, io.dbops.events.Event event) throws Exception;
    }

    private final Services services;
    private final Accounts accounts;
    private final Sessions sessions = new Sessions(Duration.ofHours(8));
    /** Per user name: a few free failures. Per address: more (many people share one NAT address), then the same backoff. */
    private final LoginThrottle userThrottle = new LoginThrottle();
    private final LoginThrottle addressThrottle = new LoginThrottle(50, Duration.ofMinutes(15), Duration.ofMinutes(15));
    private final Audit audit;
    private final OpsStore ops;
    private final SlowSqlStore slowSql;
    private final Inventory inventory;
    private final RunStore runs;
    private final SelfService selfService;
    private final FollowUps followUps;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final ObjectMapper json = EventCodec.mapper();
    private final Map<String, Object[]> tokenCache = new java.util.concurrent.ConcurrentHashMap<>();

    public DashboardApp(Services services) {
        this.services = services;
        this.accounts = new Accounts(services.db());
        this.audit = new Audit(services.db());
        this.ops = new OpsStore(services.db());
        this.slowSql = new SlowSqlStore(services.db());
        this.inventory = new Inventory(services.db());
        this.runs = new RunStore(services.db());
        this.selfService = new SelfService(inventory, runs, new BackupCatalog(services.db()));
        this.followUps = new FollowUps(services.db(), runs, services.publisher());
    }

    public Accounts accounts() {
        return accounts;
    }

    /** The waiting requests of multi-member forms; the caller starts their sweep. */
    public FollowUps followUps() {
        return followUps;
    }

    public Javalin create() {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 64 * 1024;
            config.staticFiles.add("/web", Location.CLASSPATH);
            config.staticFiles.enableWebjars();
            config.jsonMapper(new io.javalin.json.JavalinJackson(json, false));
            var r = config.routes;
            r.before(this::authenticate);
            r.exception(InvalidInput.class, (e, ctx) -> fail(ctx, 400, "invalid input", e.fields()));
            r.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, e.getStatus(), e.getMessage(), null));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                fail(ctx, 500, "internal error; see the dashboard log", null);
            });
            r.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    fail(ctx, 404, "not found", null);
                }
            });
            r.get("/healthz", ctx -> ctx.result(services.live().caughtUp() ? "ok" : "starting"));
            Api api = new Api(this);
            new Pages(this, api).routes(r);
            api.routes(r);
            new Admin(this).routes(r);
            r.before("/live", this::checkLive);
            r.sse("/live", this::live);
        });
    }

    // ---------------------------------------------------------------- authentication and CSRF

    private void authenticate(Context ctx) throws Exception {
        securityHeaders(ctx);
        String path = ctx.path();
        if (PUBLIC.contains(path) || path.startsWith("/assets/") || path.startsWith("/webjars/")) {
            return;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            Principal p = byToken(auth.substring(7).trim());
            if (p == null) {
                throw new HttpResponseException(401, "invalid API token");
            }
            ctx.attribute("principal", p);
            return; // a bearer token is not sent by browsers on their own: no CSRF check
        }
        Optional<Sessions.Session> s = sessions.find(ctx.cookie(SESSION_COOKIE), Instant.now());
        if (s.isEmpty()) {
            if (path.startsWith("/api/") || path.equals("/live") || !ctx.method().name().equals("GET")) {
                throw new HttpResponseException(401, "sign in first (or send an API token)");
            }
            ctx.redirect("/login?next=" + java.net.URLEncoder.encode(ctx.fullUrl().replaceFirst("^https?://[^/]+", ""),
                    java.nio.charset.StandardCharsets.UTF_8));
            ctx.skipRemainingHandlers();
            return;
        }
        if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
            checkSameOrigin(ctx);
            String token = ctx.header(CSRF_HEADER);
            if (token == null && ctx.isFormUrlencoded()) {
                token = ctx.formParam("_csrf");
            }
            if (token == null || !java.security.MessageDigest.isEqual(token.getBytes(), s.get().csrf().getBytes())) {
                throw new HttpResponseException(403, "missing or wrong CSRF token: reload the page and try again");
            }
        }
        ctx.attribute("principal", s.get().principal());
        ctx.attribute("session", s.get());
    }

    private Principal byToken(String token) throws Exception {
        Object[] cached = tokenCache.get(token);
        long now = System.currentTimeMillis();
        if (cached != null && (long) cached[1] > now) {
            return (Principal) cached[0];
        }
        Principal p = accounts.byToken(token).orElse(null);
        if (p != null) {
            if (tokenCache.size() > 1000) {
                tokenCache.clear();
            }
            tokenCache.put(token, new Object[] {p, now + 10_000});
        }
        return p;
    }

    /** A cross-site post (Origin or Referer from elsewhere) is refused even with a cookie. */
    static void checkSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            origin = ctx.header("Referer");
        }
        if (origin == null || origin.equals("null") && ctx.header("Origin") == null) {
            return;
        }
        String host = ctx.header("Host");
        String originHost = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("/.*$", "");
        if (host == null || !host.equalsIgnoreCase(originHost)) {
            throw new HttpResponseException(403, "cross-site request refused (Origin " + originHost + ")");
        }
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        if (!ctx.path().startsWith("/assets/") && !ctx.path().startsWith("/webjars/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    static boolean secure(Context ctx) {
        return ctx.scheme().equals("https") || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    /** The login form's double-submit token: a cookie and a hidden field that must match. */
    String loginCsrf(Context ctx) {
        String v = ctx.cookie(LOGIN_CSRF_COOKIE);
        if (v == null || v.length() < 20) {
            v = PasswordHash.randomToken(18);
            ctx.cookie(new Cookie(LOGIN_CSRF_COOKIE, v, "/", -1, secure(ctx), true, null, SameSite.STRICT));
        }
        return v;
    }

    /** Signs in (throttled per user name and per address); returns the error to show, or null on success. */
    String login(Context ctx, String user, String password, String csrf) throws Exception {
        String cookie = ctx.cookie(LOGIN_CSRF_COOKIE);
        if (cookie == null || csrf == null || !java.security.MessageDigest.isEqual(cookie.getBytes(), csrf.getBytes())) {
            ctx.status(403);
            return "the sign-in form expired; try again";
        }
        checkSameOrigin(ctx);
        if (user == null || user.isBlank() || password == null || user.length() > 128 || password.length() > 1024) {
            ctx.status(400);
            return "user name and password are required";
        }
        Instant now = Instant.now();
        String userKey = "user:" + user.toLowerCase(java.util.Locale.ROOT);
        String ipKey = "ip:" + ctx.ip();
        Optional<Duration> wait = userThrottle.wait(userKey, now).or(() -> addressThrottle.wait(ipKey, now));
        if (wait.isPresent()) {
            ctx.status(429);
            ctx.header("Retry-After", String.valueOf(wait.get().toSeconds() + 1));
            return "too many failed sign-ins; try again in " + (wait.get().toSeconds() + 1) + " s";
        }
        Optional<Principal> p = accounts.authenticate(user, password);
        if (p.isEmpty()) {
            userThrottle.failure(userKey, now);
            addressThrottle.failure(ipKey, now);
            audit.record(user, "login_failed", null, null, null, ctx.ip());
            ctx.status(401);
            return "wrong user name or password";
        }
        userThrottle.success(userKey);
        sessions.end(ctx.cookie(SESSION_COOKIE));
        Sessions.Session s = sessions.create(p.get(), now);
        ctx.cookie(new Cookie(SESSION_COOKIE, s.id(), "/", -1, secure(ctx), true, null, SameSite.STRICT));
        audit.record(p.get().name(), "login", null, null, null, ctx.ip());
        return null;
    }

    void logout(Context ctx) {
        sessions.end(ctx.cookie(SESSION_COOKIE));
        ctx.removeCookie(SESSION_COOKIE, "/");
    }

    Sessions sessions() {
        return sessions;
    }

    // ---------------------------------------------------------------- shared helpers for pages and API

    static Principal who(Context ctx) {
        Principal p = ctx.attribute("principal");
        if (p == null) {
            throw new HttpResponseException(401, "sign in first");
        }
        return p;
    }

    static void requireDba(Context ctx) {
        if (!who(ctx).isDba()) {
            throw new HttpResponseException(403, "only a dba or an admin may do this");
        }
    }

    static void requireAdmin(Context ctx) {
        if (!who(ctx).isAdmin()) {
            throw new HttpResponseException(403, "only an admin may do this");
        }
    }

    static String id(Context ctx, String param) {
        String v = ctx.pathParam(param);
        if (!ID.matcher(v).matches()) {
            throw new HttpResponseException(404, "not found");
        }
        return v;
    }

    Page page(Context ctx, String title, String active) {
        Sessions.Session s = ctx.attribute("session");
        return new Page(title, ctx.attribute("principal"), s == null ? "" : s.csrf(), active);
    }

    void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(8192);
        templates.render(template, params, out);
        ctx.html(out.toString());
    }

    private void fail(Context ctx, int status, String message, Map<String, String> fields) {
        ctx.status(status);
        boolean api = ctx.path().startsWith("/api/") || ctx.path().equals("/live") || !ctx.method().name().equals("GET")
                || String.valueOf(ctx.header("Accept")).contains("application/json");
        if (api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            if (fields != null) {
                body.put("fields", fields);
            }
            ctx.json(body);
        } else {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("page", page(ctx, "Error " + status, ""));
            m.put("status", status);
            m.put("message", message);
            render(ctx, "error.jte", m);
        }
    }

    /** The instance if it exists and the user may see it; 404 otherwise (another business line's instance does not exist for them). */
    InventoryInstance visibleInstance(Context ctx, String id) throws Exception {
        InventoryInstance i = inventory.instance(id);
        if (i == null || !who(ctx).canSee(i.businessLine())) {
            throw new HttpResponseException(404, "no instance " + id);
        }
        return i;
    }

    Run visibleRun(Context ctx, String id) throws Exception {
        Run r = runs.run(id).orElse(null);
        if (r == null || !who(ctx).canSee(r.businessLine())) {
            throw new HttpResponseException(404, "no run " + id);
        }
        return r;
    }

    Incident visibleIncident(Context ctx, String id) {
        Incident inc = services.live().incident(id);
        if (inc == null || !who(ctx).canSeeAny(inc.businessLines())) {
            throw new HttpResponseException(404, "no incident " + id);
        }
        return inc;
    }

    List<InventoryInstance> visibleInstances(Principal p) throws Exception {
        return inventory.instances().stream().filter(i -> p.canSee(i.businessLine()) && !"decommissioned".equals(i.status())).toList();
    }

    List<Incident> visibleIncidents(Principal p, boolean openOnly) {
        return services.live().incidents().stream()
                .filter(i -> p.canSeeAny(i.businessLines()) && (!openOnly || i.status() != IncidentStatus.RESOLVED)).toList();
    }

    List<Alarm> visibleAlarms(Principal p, String instance, int limit) {
        return services.live().alarms().stream()
                .filter(a -> p.canSee(a.instance() == null ? null : a.instance().businessLine()))
                .filter(a -> instance == null || (a.instance() != null && instance.equals(a.instance().id())))
                .limit(limit).toList();
    }

    List<Run> visibleRuns(Principal p, int limit) throws Exception {
        return runs.recent(Math.min(2000, limit * (p.seesAll() ? 1 : 5))).stream().filter(r -> p.canSee(r.businessLine())).limit(limit).toList();
    }

    /** Files a self-service request: checked, published (durable), its follow-ups stored, audited. */
    SelfService.Filing fileRequest(Context ctx, Input in) throws Exception {
        Principal p = who(ctx);
        SelfService.Filing f = selfService.request(p, in);
        ActionRequest r = f.request();
        try {
            services.publisher().publish(io.dbops.events.Topic.ACTION_REQUESTS, r.id(), r);
        } catch (Exception e) {
            selfService.release(r.id().substring(4));
            throw new HttpResponseException(503, "the request could not be filed (Kafka: " + e.getMessage() + "); nothing was started");
        }
        if (!f.followUps().isEmpty()) {
            followUps.add(f.followUps());
        }
        audit.record(p.name(), "request", r.playbook() + " " + r.id(), r.businessLine(), r.parameters()
                + (f.followUps().isEmpty() ? "" : " then " + f.followUps().stream().map(x -> x.request().playbook() + " "
                + x.request().parameters().get("instance")).toList()), ctx.ip());
        return f;
    }

    /** Approves or rejects a run for a DBA, audited; returns the refusal or null. */
    String decide(Context ctx, String runId, boolean approve, String reason) throws Exception {
        requireDba(ctx);
        Principal p = who(ctx);
        Run run = visibleRun(ctx, runId);
        String refusal;
        if (approve) {
            refusal = ActionService.approve(runs, runId, p.name());
        } else {
            refusal = runs.reject(runId, p.name(), reason == null ? "rejected in the dashboard" : reason) ? null
                    : "run " + runId + " is not waiting for approval";
        }
        audit.record(p.name(), approve ? "approve" : "reject", "run " + runId, run.businessLine(),
                refusal == null ? reason : "refused: " + refusal, ctx.ip());
        return refusal;
    }

    Services services() {
        return services;
    }

    Audit audit() {
        return audit;
    }

    OpsStore ops() {
        return ops;
    }

    SlowSqlStore slowSql() {
        return slowSql;
    }

    Inventory inventory() {
        return inventory;
    }

    RunStore runs() {
        return runs;
    }

    SelfService selfService() {
        return selfService;
    }

    ObjectMapper json() {
        return json;
    }

    // ---------------------------------------------------------------- live stream

    /** {@code /live?kinds=fleet,alarm,incident,run&instance=ID&run=ID}: server-sent events, scoped like everything else. */
    private void live(io.javalin.http.sse.SseClient client) {
        Context ctx = client.ctx();
        Principal p = ctx.attribute("principal");
        if (p == null) {
            client.close();
            return;
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (String k : String.valueOf(ctx.queryParam("kinds")).split(",")) {
            if (Set.of("fleet", "alarm", "incident", "run").contains(k)) {
                kinds.add(k);
            }
        }
        String instance = ctx.queryParam("instance");
        String run = ctx.queryParam("run");
        Subscriber s = new Subscriber(p, kinds, instance, run, new Subscriber.Sink() {
            @Override
            public void send(String event, String data) {
                client.sendEvent(event, data);
            }

            @Override
            public void close() {
                if (!client.terminated()) {
                    client.close();
                }
            }
        });
        client.onClose(() -> services.live().unsubscribe(s));
        services.live().subscribe(s);
        client.sendComment("connected");
        client.keepAlive();
    }

    /** Checks a /live request before the stream opens: 404 for an instance or run the user may not see. */
    void checkLive(Context ctx) throws Exception {
        if (!String.valueOf(ctx.header("Accept")).contains("text/event-stream")) {
            throw new HttpResponseException(406, "the live stream is server-sent events: send Accept: text/event-stream");
        }
        if (ctx.queryParam("instance") != null) {
            visibleInstance(ctx, ctx.queryParam("instance"));
        }
        if (ctx.queryParam("run") != null) {
            visibleRun(ctx, ctx.queryParam("run"));
        }
    }
}
