package io.dbops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.collectors.KafkaProducers;
import io.dbops.dashboard.auth.Accounts;
import io.dbops.dashboard.auth.Principal;
import io.dbops.dashboard.live.LiveHub;
import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.Event;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.RunState;
import io.dbops.events.Severity;
import io.dbops.events.Topic;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import io.dbops.metadata.MetadataDb;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard against the real platform: the whole stack (Kafka, the metadata DB, the demo
 * MariaDB and Redis sets, every service including the action service and the dashboard process).
 * Handler tests go through a second, in-process app object on a random port (same database and
 * Kafka); the browser tests drive the stack's own dashboard in headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    static final int OFFSET = 4000;
    static final String PW = "a-long-test-password";
    private final ObjectMapper json = new ObjectMapper();
    Path work;
    LocalStack stack;
    MetadataDb db;
    KafkaProducer<String, byte[]> producer;
    LiveHub live;
    Javalin app;
    String base;
    Run demoRun;
    Run payRun;

    @BeforeAll
    void up() throws Exception {
        work = Files.createTempDirectory("dbops-dashboard-it-");
        stack = new LocalStack(new StackConfig(work, OFFSET), new PrintStream(new ByteArrayOutputStream()), true);
        stack.up();
        Map<String, String> m = stack.metadataConnection();
        db = MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"), 8);
        db.migrate();
        Accounts accounts = new Accounts(db.dataSource());
        accounts.save("admin1", Principal.Role.ADMIN, Set.of(), PW);
        accounts.save("dba1", Principal.Role.DBA, Set.of(), PW);
        accounts.save("dev1", Principal.Role.DEVELOPER, Set.of(LocalStack.BUSINESS_LINE), PW);
        accounts.save("dev2", Principal.Role.DEVELOPER, Set.of("payments"), PW);
        var inv = db.inventory();
        inv.upsertBusinessLine("payments", "another business line");
        inv.upsertServer(new InventoryServer("pay-host-1", "10.255.0.9", "rack-9", "dc-2", "gen3", true)); // unreachable: in maintenance
        inv.upsertCluster("pay-db", Engine.MARIADB, "payments", "payments' set");
        inv.upsertInstance(new InventoryInstance("pay-db-1", Engine.MARIADB, "pay-db", "pay-host-1", 3306, "primary", "payments", null,
                "maintenance", null, false));
        RunStore runs = new RunStore(db.dataSource());
        demoRun = runs.create(new Run.Spec("mariadb_backup", "it:demo", null, null, LocalStack.MARIADB_CLUSTER, "demo-mariadb-2",
                LocalStack.BUSINESS_LINE, "dev1", "approval", false, Map.of("instance", "demo-mariadb-2")), RunState.AWAITING_APPROVAL).run();
        payRun = runs.create(new Run.Spec("mariadb_backup", "it:pay", null, null, "pay-db", "pay-db-1", "payments", "dev2", "approval", false,
                Map.of("instance", "pay-db-1")), RunState.AWAITING_APPROVAL).run();
        producer = KafkaProducers.reliable(stack.kafkaBootstrap());
        live = new LiveHub(stack.kafkaBootstrap(), runs, new SlowSqlStore(db.dataSource()));
        live.start();
        app = new DashboardApp(new DashboardApp.Services(db.dataSource(), live, new History(stack.victoriaMetricsUrl()),
                (topic, key, event) -> DashboardMain.publish(producer, topic, key, event),
                DashboardMain.flashbacks(stack.kafkaBootstrap(), db.inventory(), "dbops_monitor", stack.secret("fleet.mariadb.monitor.password"))))
                .create().start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
        long until = System.currentTimeMillis() + 30_000;
        while (!live.caughtUp() && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    void down() throws Exception {
        if (live != null) {
            live.close();
        }
        if (app != null) {
            app.stop();
        }
        if (producer != null) {
            producer.close();
        }
        if (db != null) {
            db.close();
        }
        if (stack != null) {
            stack.discard();
        }
    }

    DashboardClient as(String user) throws Exception {
        return DashboardClient.signIn(base, user, PW);
    }

    void send(Topic topic, String key, Event e) throws Exception {
        producer.send(new ProducerRecord<>(topic.topicName(), key, EventCodec.toBytes(e))).get(10, TimeUnit.SECONDS);
    }

    static Alarm alarm(String id, InstanceRef ref, String summary) {
        Instant now = Instant.now();
        return new Alarm(Alarm.SCHEMA, now, id, AlarmStatus.FIRING, "it_check", Severity.CRITICAL, ref, ref.host(), "it-rule", summary,
                1.0, 0.0, null, now, null);
    }

    static Incident incident(String id, String line, String title) {
        Instant now = Instant.now();
        return new Incident(Incident.SCHEMA, now, id, IncidentStatus.OPEN, "instance", title, Severity.CRITICAL, null, List.of(),
                List.of(), List.of(), List.of(line), null, now, null);
    }

    static final InstanceRef PAY = new InstanceRef("pay-db-1", Engine.MARIADB, "pay-db", "pay-host-1", 3306, "payments");
    static final InstanceRef DEMO = new InstanceRef("demo-mariadb-1", Engine.MARIADB, LocalStack.MARIADB_CLUSTER, "local", 13307,
            LocalStack.BUSINESS_LINE);

    JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }

    @Test
    @Order(1)
    void everythingButTheLoginPageNeedsASignIn() throws Exception {
        DashboardClient anon = DashboardClient.anonymous(base);
        assertThat(anon.get("/api/me").statusCode()).isEqualTo(401);
        assertThat(anon.get("/api/instances").statusCode()).isEqualTo(401);
        HttpResponse<String> page = anon.get("/fleet");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).startsWith("/login?next=");
        assertThat(anon.get("/live?kinds=alarm").statusCode()).isEqualTo(401);
        assertThat(anon.get("/login").statusCode()).isEqualTo(200);
        assertThat(anon.get("/api/openapi.json").statusCode()).isEqualTo(200);
        assertThat(DashboardClient.withToken(base, "dbops_not-a-token").get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    @Order(2)
    void sessionCookiesAreHttpOnlyAndStrictAndPagesCarrySecurityHeaders() throws Exception {
        DashboardClient c = DashboardClient.anonymous(base);
        HttpResponse<String> r = c.login("dev1", PW);
        assertThat(r.statusCode()).isEqualTo(302);
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(DashboardApp.SESSION_COOKIE)).findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").doesNotContainIgnoringCase("Secure");
        HttpResponse<String> page = c.get("/fleet");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    @Order(3)
    void repeatedWrongPasswordsAreThrottled() throws Exception {
        Accounts accounts = new Accounts(db.dataSource());
        accounts.save("victim", Principal.Role.DEVELOPER, Set.of(LocalStack.BUSINESS_LINE), PW);
        DashboardClient c = DashboardClient.anonymous(base);
        for (int i = 0; i < 5; i++) {
            assertThat(c.login("victim", "wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = c.login("victim", "wrong-6");
        assertThat(locked.statusCode()).isEqualTo(401); // the sixth failure sets the lock
        HttpResponse<String> refused = c.login("victim", PW);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("too many failed sign-ins");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    @Order(4)
    void aDeveloperSeesNothingOfAnotherBusinessLine() throws Exception {
        send(Topic.INCIDENTS, "it-inc-pay", incident("it-inc-pay", "payments", "pay-db-1 unreachable"));
        send(Topic.INCIDENTS, "it-inc-demo", incident("it-inc-demo", LocalStack.BUSINESS_LINE, "demo-mariadb-1 slow"));
        long until = System.currentTimeMillis() + 10_000;
        while ((live.incident("it-inc-pay") == null || live.incident("it-inc-demo") == null) && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        DashboardClient dev = as("dev1");
        JsonNode instances = body(dev.get("/api/instances"));
        assertThat(instances.findValuesAsText("id")).contains("demo-mariadb-1").doesNotContain("pay-db-1");
        for (String path : List.of("/api/instances/pay-db-1", "/api/instances/pay-db-1/history?range=1h", "/api/instances/pay-db-1/live",
                "/instances/pay-db-1", "/api/runs/" + payRun.id(), "/runs/" + payRun.id(), "/api/incidents/it-inc-pay", "/incidents/it-inc-pay",
                "/api/slowsql?business_line=payments")) {
            assertThat(dev.get(path).statusCode()).as(path).isEqualTo(404);
        }
        for (String query : List.of("kinds=run&run=" + payRun.id(), "kinds=fleet&instance=pay-db-1")) {
            DashboardClient.Stream s = dev.live(query);
            assertThat(s.status()).as(query).isEqualTo(404);
            s.close();
        }
        assertThat(dev.get("/live?kinds=alarm").statusCode()).isEqualTo(406); // not an EventSource
        assertThat(body(dev.get("/api/runs")).findValuesAsText("id")).contains(demoRun.id()).doesNotContain(payRun.id());
        assertThat(body(dev.get("/api/incidents")).findValuesAsText("id")).contains("it-inc-demo").doesNotContain("it-inc-pay");
        assertThat(dev.get("/api/instances/demo-mariadb-1").statusCode()).isEqualTo(200);
        assertThat(dev.get("/runs/" + demoRun.id()).statusCode()).isEqualTo(200);
        // and what only DBAs and admins do
        assertThat(dev.post("/api/runs/" + demoRun.id() + "/approve", "{}").statusCode()).isEqualTo(403);
        assertThat(dev.post("/api/incidents/it-inc-demo/ack", "{}").statusCode()).isEqualTo(403);
        assertThat(dev.post("/api/silences", "{\"instance\":\"demo-mariadb-1\",\"duration\":\"1h\",\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(dev.post("/api/maintenance", "{\"cluster\":\"demo-mariadb\",\"duration\":\"1h\",\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        for (String path : List.of("/api/audit", "/audit", "/ops", "/api/users", "/admin/users")) {
            assertThat(dev.get(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(dev.post("/api/users", "{\"name\":\"x\",\"role\":\"admin\"}").statusCode()).isEqualTo(403);
        assertThat(new RunStore(db.dataSource()).run(demoRun.id()).orElseThrow().state()).isEqualTo(RunState.AWAITING_APPROVAL);
        // a DBA sees both business lines; an admin too, and only an admin manages users
        DashboardClient dba = as("dba1");
        assertThat(body(dba.get("/api/instances")).findValuesAsText("id")).contains("demo-mariadb-1", "pay-db-1");
        assertThat(dba.get("/api/runs/" + payRun.id()).statusCode()).isEqualTo(200);
        assertThat(dba.get("/api/incidents/it-inc-pay").statusCode()).isEqualTo(200);
        assertThat(dba.get("/api/users").statusCode()).isEqualTo(403);
        assertThat(as("admin1").get("/api/users").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void aDbaApprovesAndAcknowledgesAndTheAuditLogShowsIt() throws Exception {
        DashboardClient dba = as("dba1");
        HttpResponse<String> r = dba.post("/api/runs/" + payRun.id() + "/reject", "{\"reason\":\"not now\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new RunStore(db.dataSource()).run(payRun.id()).orElseThrow().state()).isEqualTo(RunState.REJECTED);
        assertThat(dba.post("/api/runs/" + payRun.id() + "/approve", "{}").statusCode()).isEqualTo(409);
        assertThat(dba.post("/api/incidents/it-inc-demo/ack", "{\"note\":\"on it\"}").statusCode()).isEqualTo(200);
        assertThat(body(dba.get("/api/incidents/it-inc-demo")).path("ack").path("user").asText()).isEqualTo("dba1");
        assertThat(dba.post("/api/silences", "{\"instance\":\"demo-mariadb-3\",\"duration\":\"2h\",\"reason\":\"rebuild\"}").statusCode()).isEqualTo(201);
        assertThat(dba.post("/api/maintenance", "{\"cluster\":\"demo-mariadb\",\"duration\":\"1h\",\"reason\":\"kernel\"}").statusCode()).isEqualTo(201);
        JsonNode audit = body(dba.get("/api/audit?limit=50"));
        assertThat(audit.findValuesAsText("action")).contains("reject", "ack", "silence", "maintenance", "login");
        assertThat(audit.toString()).doesNotContain(PW);
    }

    @Test
    @Order(6)
    void liveStreamsCarryOnlyWhatTheUserMaySee() throws Exception {
        DashboardClient.Stream dev = as("dev1").live("kinds=alarm,incident");
        DashboardClient.Stream dba = as("dba1").live("kinds=alarm");
        assertThat(dev.status()).isEqualTo(200);
        String tag = UUID.randomUUID().toString();
        send(Topic.ALARMS, "pay-db-1", alarm("it-pay-" + tag, PAY, "payments " + tag));
        send(Topic.ALARMS, "demo-mariadb-1", alarm("it-demo-" + tag, DEMO, "demo " + tag));
        String[] got = poll(dev, "demo " + tag);
        assertThat(got).isNotNull();
        assertThat(poll(dba, "payments " + tag)).isNotNull();
        Thread.sleep(500);
        assertThat(dev.events().stream().map(e -> e[1])).noneMatch(d -> d.contains("payments " + tag));
        dev.close();
        dba.close();
    }

    static String[] poll(DashboardClient.Stream s, String needle) throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until) {
            String[] e = s.events().poll(200, TimeUnit.MILLISECONDS);
            if (e != null && e[1].contains(needle)) {
                return e;
            }
        }
        return null;
    }

    @Test
    @Order(7)
    void formsWithoutTheCsrfTokenOrFromAnotherSiteAreRefused() throws Exception {
        DashboardClient dev = as("dev1");
        String backup = "{\"kind\":\"backup\",\"form_id\":\"" + UUID.randomUUID() + "\",\"instance\":\"demo-mariadb-2\"}";
        long before = requestsFiled();
        assertThat(dev.post("/api/requests", backup, null, null).statusCode()).isEqualTo(403);
        assertThat(dev.post("/api/requests", backup, "wrong-token", null).statusCode()).isEqualTo(403);
        HttpResponse<String> cross = dev.post("/api/requests", backup, dev.csrf(), "http://evil.example");
        assertThat(cross.statusCode()).isEqualTo(403);
        assertThat(cross.body()).contains("cross-site");
        assertThat(requestsFiled()).isEqualTo(before);
        // an API token is not sent by browsers on their own: no CSRF token needed with it
        String token = body(dev.post("/api/tokens", "{\"label\":\"ci\"}")).path("token").asText();
        assertThat(token).startsWith("dbops_");
        DashboardClient script = DashboardClient.withToken(base, token);
        assertThat(body(script.get("/api/me")).path("name").asText()).isEqualTo("dev1");
        HttpResponse<String> filed = script.post("/api/requests", backup, null, null);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
        assertThat(requestsFiled()).isEqualTo(before + 1);
        HttpResponse<String> again = script.post("/api/requests", backup, null, null);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(body(again).path("fields").path("form_id").asText()).contains("submitted already");
        assertThat(requestsFiled()).isEqualTo(before + 1);
    }

    @Test
    @Order(8)
    void badFieldsAreNamedAndNothingIsFiled() throws Exception {
        DashboardClient dev = as("dev1");
        long before = requestsFiled();
        Map<String, String> cases = pairs(
                "not json at all", "body",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"oracle\",\"name\":\"x1\",\"size\":\"small\",\"port\":3310,\"business_line\":\"demo\"}", "engine",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"mariadb\",\"name\":\"" + "n".repeat(500) + "\",\"size\":\"small\",\"port\":3310,\"business_line\":\"demo\"}", "name",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"mariadb\",\"name\":\"x2\",\"size\":\"small\",\"port\":{\"a\":1},\"business_line\":\"demo\"}", "port",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"mariadb\",\"name\":\"x3\",\"size\":\"huge\",\"port\":3310,\"business_line\":\"demo\"}", "size",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"mariadb\",\"name\":\"x4\",\"size\":\"small\",\"port\":3310,\"business_line\":\"payments\"}", "business_line",
                "{\"kind\":\"backup\",\"form_id\":\"" + UUID.randomUUID() + "\",\"instance\":\"pay-db-1\"}", "instance",
                "{\"kind\":\"teleport\",\"form_id\":\"" + UUID.randomUUID() + "\"}", "kind",
                "{\"kind\":\"switchover\",\"form_id\":\"short\",\"candidate\":\"demo-mariadb-2\"}", "form_id",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"redis\",\"name\":\"x5\",\"size\":\"small\",\"port\":3310,\"business_line\":\"demo\",\"replicas\":9}", "replicas",
                "{\"kind\":\"new_instance\",\"form_id\":\"" + UUID.randomUUID() + "\",\"engine\":\"redis\",\"name\":\"x6\",\"size\":\"small\",\"port\":3310,\"business_line\":\"demo\",\"replicas\":2}", "cluster");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = dev.post("/api/requests", c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(body(r).path("fields").has(c.getValue())).as(r.body()).isTrue();
        }
        assertThat(dev.post("/api/requests", "x".repeat(100_000)).statusCode()).isIn(400, 413);
        assertThat(requestsFiled()).isEqualTo(before);
        assertThat(dev.get("/api/slowsql?range=forever").statusCode()).isEqualTo(400);
        assertThat(body(dev.get("/api/alarms?limit=abc")).path("fields").has("limit")).isTrue();
    }

    @Test
    @Order(9)
    void historyComesFromTheTimeSeriesStore() throws Exception {
        // pay-db-1 is not polled (in maintenance): its history is written here, 20 minutes back
        long t = Instant.now().minus(Duration.ofMinutes(20)).getEpochSecond();
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            lines.append("mysql_status,instance=pay-db-1,business_line=payments threads_connected=").append(40 + k)
                    .append(",questions=").append(1000 * k).append(' ').append((t + 60L * k) * 1_000_000_000L).append('\n');
        }
        var http = java.net.http.HttpClient.newHttpClient();
        var w = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.victoriaMetricsUrl() + "/write"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(lines.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(w.statusCode()).isEqualTo(204);
        DashboardClient dba = as("dba1");
        JsonNode h = null;
        long until = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < until) {
            h = body(dba.get("/api/instances/pay-db-1/history?range=1h"));
            // each series becomes searchable in the store on its own: wait for the counter's rate too
            if (h.path("series").path("connections").size() >= 10 && h.path("series").path("qps").size() > 0) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(h.path("series").path("connections").size()).as(h.toString()).isGreaterThanOrEqualTo(10);
        assertThat(h.path("series").path("connections").get(0).get(1).asDouble()).isEqualTo(40.0);
        assertThat(h.path("series").path("qps").size()).isGreaterThan(0); // a rate from the questions counter
        // and the real path: the stack's collector and metrics job write demo-mariadb-1's series
        until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            h = body(dba.get("/api/instances/demo-mariadb-1/history?range=1h"));
            if (h.path("series").path("connections").size() >= 1) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(h.path("series").path("connections").size()).as(h.toString()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(15)
    void adminsPublishRulePacksAndPlaybookPoliciesOnlyOnceTheyAreChecked() throws Exception {
        String pack = "pack: it-pack\nrules:\n  - id: it_threads\n    engines: [mariadb]\n    when: mysql_status.threads_running > 50\n"
                + "    for: 30s\n    severity: warning\n    summary: \"{instance} runs {value} threads\"\n";
        String badPack = "pack: it-pack\nrules:\n  - id: it_threads\n    when: mysql_status.threads_running >\n    severity: loud\n";
        DashboardClient dba = as("dba1");
        DashboardClient admin = as("admin1");
        assertThat(dba.post("/api/rules", json.writeValueAsString(Map.of("yaml", pack))).statusCode()).isEqualTo(403);
        HttpResponse<String> bad = admin.post("/api/rules", json.writeValueAsString(Map.of("yaml", badPack)));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(body(bad).path("fields").path("yaml").asText()).contains("problem");
        HttpResponse<String> ok = admin.post("/api/rules", json.writeValueAsString(Map.of("yaml", pack)));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        long until = System.currentTimeMillis() + 10_000;
        while (!live.rulePacks().containsKey("it-pack") && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertThat(live.rulePacks().get("it-pack").author()).isEqualTo("admin1"); // read back from dbops.rules
        assertThat(dba.get("/admin/rules").body()).contains("it_threads");

        String current = body(admin.get("/api/policies")).path("yaml").asText();
        assertThat(current).contains("mariadb-primary-dead");
        HttpResponse<String> badPolicy = admin.post("/api/policies", json.writeValueAsString(Map.of("yaml",
                current.replace("playbook: mariadb_failover", "playbook: make_coffee"))));
        assertThat(badPolicy.statusCode()).isEqualTo(400);
        assertThat(body(badPolicy).path("fields").path("yaml").asText()).contains("make_coffee");
        String stricter = current.replace("rate_limit: 3 per 1h", "rate_limit: 2 per 1h");
        assertThat(dba.post("/api/policies", json.writeValueAsString(Map.of("yaml", stricter))).statusCode()).isEqualTo(403);
        assertThat(admin.post("/api/policies", json.writeValueAsString(Map.of("yaml", stricter))).statusCode()).isEqualTo(201);
        assertThat(new io.dbops.actions.policy.PolicyStore(db.dataSource()).remediationRules().orElseThrow().yaml()).contains("2 per 1h");
        // the stack's action service picks the saved rules up
        Path log = stack.logFile("action-service");
        until = System.currentTimeMillis() + 15_000;
        while (!Files.readString(log).contains("remediation rules saved by admin1") && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        assertThat(Files.readString(log)).contains("remediation rules saved by admin1");
        assertThat(body(admin.get("/api/audit?limit=20")).findValuesAsText("action")).contains("rules_published", "policies_saved");
    }

    @Test
    @Order(16)
    void aDeveloperGetsTheFlashbackSqlOfAMistakeOnTheirInstanceOnly() throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:" + stack.mariadbPorts().get(0) + "/";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "dbops_admin", stack.secret("fleet.mariadb.admin.password"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS shop2");
            st.execute("CREATE TABLE shop2.t (id INT PRIMARY KEY, price DECIMAL(8,2) NOT NULL)");
            st.execute("INSERT INTO shop2.t SELECT seq, seq / 4 FROM shop2.seq_1_to_100");
            Thread.sleep(1100);
            Instant from = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            st.execute("UPDATE shop2.t SET price = 0");
            Thread.sleep(1100);
            Instant to = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusMillis(1);
            String req = json.writeValueAsString(Map.of("instance", "demo-mariadb-1", "table", "shop2.t", "from", from.toString(), "to", to.toString()));
            DashboardClient dev = as("dev1");
            JsonNode r = null;
            long until = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < until) {
                HttpResponse<String> resp = dev.post("/api/flashback", req);
                r = body(resp);
                if (resp.statusCode() == 200 && r.path("statements").asInt() == 100) {
                    break;
                }
                Thread.sleep(1000); // the stack's binlog collector is still publishing
            }
            assertThat(r.path("statements").asInt()).as(r.toString()).isEqualTo(100);
            assertThat(r.path("sql").asText()).contains("UPDATE `shop2`.`t` SET `id` = 100, `price` = 25.00 WHERE `id` = 100 LIMIT 1;");
            assertThat(as("dev2").post("/api/flashback", req).statusCode()).isEqualTo(404);
            HttpResponse<String> bad = dev.post("/api/flashback", req.replace("shop2.t", "shop2.t; DROP TABLE x"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(body(bad).path("fields").has("table")).isTrue();
            assertThat(body(as("dba1").get("/api/audit?limit=20")).findValuesAsText("action")).contains("flashback");
        }
    }

    /** A port that is free and whose successor is free too, away from the ephemeral range. */
    static int twoFreePorts() throws Exception {
        for (int p = 31_000 + (int) (ProcessHandle.current().pid() % 500) * 2; p < 32_000; p += 2) {
            try (java.net.ServerSocket a = new java.net.ServerSocket(p); java.net.ServerSocket b = new java.net.ServerSocket(p + 1)) {
                return p;
            } catch (java.io.IOException taken) {
                // try the next pair
            }
        }
        throw new IllegalStateException("no two consecutive free ports in 31000-32000");
    }

    static Map<String, String> pairs(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Requests on dbops.actions.requests (every one ever filed in this stack). */
    long requestsFiled() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topic.ACTION_REQUESTS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    // ------------------------------------------------------------------ the stack's dashboard in headless Chromium

    static final Path SHOTS = Path.of("target", "screenshots");
    final List<WebDriver> drivers = new java.util.ArrayList<>();

    WebDriver browser() throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("headless Chromium (Debian chromium, chromium-driver; ./dbops test installs them)").exists();
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--window-size=1440,1000");
        WebDriver d = new ChromeDriver(o);
        drivers.add(d);
        return d;
    }

    @AfterAll
    void closeBrowsers() {
        drivers.forEach(WebDriver::quit);
    }

    void signIn(WebDriver d, String user) {
        d.get(stack.dashboardUrl() + "/login");
        d.findElement(By.id("user")).sendKeys(user);
        d.findElement(By.id("password")).sendKeys(PW);
        d.findElement(By.id("sign-in")).click();
        new WebDriverWait(d, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/fleet"));
    }

    static void shot(WebDriver d, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
    }

    static void awaitLive(WebDriver d) {
        new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.findElement(By.id("live-state")).getAttribute("class").contains("on"));
    }

    @Test
    @Order(10)
    void aDeveloperSignsInAndSeesTheFleetLive() throws Exception {
        WebDriver d = browser();
        d.get(stack.dashboardUrl() + "/fleet");
        assertThat(d.getCurrentUrl()).contains("/login");
        signIn(d, "dev1");
        assertThat(d.findElements(By.cssSelector("#fleet tr[data-instance]"))).extracting(e -> e.getAttribute("data-instance"))
                .contains("demo-mariadb-1", "demo-redis-1").doesNotContain("pay-db-1");
        // the stack's collectors are polling: the health cell turns "up" without a reload
        new WebDriverWait(d, Duration.ofSeconds(40)).until(x -> x.findElement(
                By.cssSelector("#fleet tr[data-instance='demo-mariadb-1'] [data-f='health']")).getText().equals("up"));
        new WebDriverWait(d, Duration.ofSeconds(40)).until(x -> !x.findElement(
                By.cssSelector("#fleet tr[data-instance='demo-mariadb-1'] [data-f='qps']")).getText().equals("–"));
        shot(d, "fleet");
        d.get(stack.dashboardUrl() + "/instances/demo-mariadb-1");
        new WebDriverWait(d, Duration.ofSeconds(20)).until(x -> x.findElements(By.cssSelector("#live-charts .uplot")).size() == 5
                && x.findElements(By.cssSelector("#history-charts .chart")).size() == 5);
        shot(d, "instance");
        d.get(stack.dashboardUrl() + "/instances/pay-db-1");
        assertThat(d.findElement(By.id("error-message")).getText()).contains("no instance pay-db-1");
    }

    @Test
    @Order(11)
    void anAlarmAppearsOnTheIncidentsPageWithinTwoSecondsAndItsTextIsEscaped() throws Exception {
        WebDriver d = browser();
        signIn(d, "dba1");
        d.get(stack.dashboardUrl() + "/incidents");
        awaitLive(d);
        String id = "it-xss-" + UUID.randomUUID();
        String summary = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2> replica lag";
        long t0 = System.currentTimeMillis();
        send(Topic.ALARMS, DEMO.id(), alarm(id, DEMO, summary));
        WebElement row = new WebDriverWait(d, Duration.ofSeconds(5), Duration.ofMillis(20))
                .until(x -> x.findElements(By.cssSelector("tr[data-alarm='" + id + "']")).stream().findFirst().orElse(null));
        long shownAfter = System.currentTimeMillis() - t0;
        assertThat(shownAfter).as("alarm shown after %d ms", shownAfter).isLessThan(2000);
        assertThat(row.getText()).contains(summary);
        assertThat(((JavascriptExecutor) d).executeScript("return window.pwned === undefined")).isEqualTo(true);
        String incId = "it-inc-live-" + UUID.randomUUID();
        t0 = System.currentTimeMillis();
        send(Topic.INCIDENTS, incId, incident(incId, LocalStack.BUSINESS_LINE, "<b>demo</b> storm: 3 instances down"));
        new WebDriverWait(d, Duration.ofSeconds(5), Duration.ofMillis(20))
                .until(x -> !x.findElements(By.cssSelector("tr[data-incident='" + incId + "']")).isEmpty());
        assertThat(System.currentTimeMillis() - t0).isLessThan(2000);
        shot(d, "incidents");
        d.navigate().refresh(); // the server-rendered page escapes it too
        assertThat(d.findElement(By.cssSelector("tr[data-alarm='" + id + "']")).getText()).contains(summary);
        assertThat(((JavascriptExecutor) d).executeScript("return window.pwned === undefined")).isEqualTo(true);
        d.get(stack.dashboardUrl() + "/incidents/it-inc-demo");
        shot(d, "incident");
    }

    @Test
    @Order(12)
    void aSlowQueryWithMarkupIsShownAsText() throws Exception {
        Instant minute = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        String example = "SELECT '<script>window.pwned=3</script>' FROM orders WHERE id = 42";
        io.dbops.events.Stats t = new io.dbops.events.Stats(12.5, 0.5, 3.2, 1.25, 3.0);
        send(Topic.SLOWSQL_STATS, DEMO.id(), new io.dbops.events.SlowSqlDigest(io.dbops.events.SlowSqlDigest.SCHEMA, Instant.now(), minute,
                minute.plusSeconds(60), DEMO, "ABCDEF0123456789", "select ? from orders where id = ?", "demo", 10, t, null, null, null, example,
                minute, null));
        WebDriver d = browser();
        signIn(d, "dev1");
        new WebDriverWait(d, Duration.ofSeconds(20)).until(x -> {
            x.get(stack.dashboardUrl() + "/slowsql?range=1h");
            return !x.findElements(By.linkText("ABCDEF0123456789")).isEmpty();
        });
        shot(d, "slowsql");
        d.findElement(By.linkText("ABCDEF0123456789")).click();
        assertThat(d.findElement(By.id("example")).getText()).isEqualTo(example);
        assertThat(((JavascriptExecutor) d).executeScript("return window.pwned === undefined")).isEqualTo(true);
        shot(d, "query");
    }

    @Test
    @Order(13)
    void aDeveloperRequestsAnInstanceADbaApprovesAndTheDeveloperWatchesItRun() throws Exception {
        int port = twoFreePorts(); // the replica takes the next port
        WebDriver dev = browser();
        signIn(dev, "dev1");
        dev.get(stack.dashboardUrl() + "/requests/new");
        new Select(dev.findElement(By.id("ni-engine"))).selectByVisibleText("redis");
        dev.findElement(By.id("ni-name")).sendKeys("web-redis-1");
        WebElement portField = dev.findElement(By.id("ni-port"));
        portField.clear();
        portField.sendKeys(String.valueOf(port));
        dev.findElement(By.id("ni-cluster")).sendKeys("web-redis");
        new Select(dev.findElement(By.id("ni-replicas"))).selectByVisibleText("1");
        dev.findElement(By.id("ni-name")).click(); // leaves the cluster field: the recommendation is refreshed
        new WebDriverWait(dev, Duration.ofSeconds(10)).until(x -> x.findElement(By.id("placement")).getText().contains("(recommended)"));
        // pay-host-1 is listed (in maintenance, not selectable); choose the local server
        WebElement local = dev.findElements(By.cssSelector("#placement input[type=radio]")).stream()
                .filter(r -> !r.getAttribute("value").equals("pay-host-1")).findFirst().orElseThrow();
        local.click();
        shot(dev, "request-form");
        dev.findElement(By.id("ni-submit")).click();
        new WebDriverWait(dev, Duration.ofSeconds(20)).until(ExpectedConditions.urlMatches("/runs/[^/]+$"));
        String runUrl = dev.getCurrentUrl();
        assertThat(dev.findElement(By.id("run-state")).getText()).isEqualTo("awaiting_approval");
        assertThat(dev.findElements(By.id("approve"))).isEmpty(); // a developer cannot approve
        awaitLive(dev);

        WebDriver dba = browser();
        signIn(dba, "dba1");
        dba.get(runUrl);
        dba.findElement(By.id("approve")).click();

        new WebDriverWait(dev, Duration.ofSeconds(180), Duration.ofMillis(200))
                .until(x -> List.of("succeeded", "failed", "compensated").contains(x.findElement(By.id("run-state")).getText()));
        String log = dev.findElement(By.id("log")).getText();
        assertThat(dev.findElement(By.id("run-state")).getText()).as(log).isEqualTo("succeeded");
        assertThat(log).contains("[activate]").contains("web-redis-1 active");
        assertThat(dev.findElements(By.cssSelector("#steps tbody tr[data-step]"))).hasSizeGreaterThanOrEqualTo(5); // filled in live
        assertThat(dev.getCurrentUrl()).isEqualTo(runUrl); // no reload: the log arrived over the live stream
        shot(dev, "run");
        dev.get(stack.dashboardUrl() + "/runs");
        shot(dev, "runs");
        assertThat(db.inventory().instance("web-redis-1").status()).isEqualTo("active");
        // the replica asked for in the same form is filed once the primary succeeded, under the DBA's approval
        RunStore runs = new RunStore(db.dataSource());
        String requestId = runs.run(runUrl.substring(runUrl.lastIndexOf('/') + 1)).orElseThrow().requestId();
        Run replica = null;
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until) {
            replica = runs.byDedupeKey("request:" + requestId + "-r1").orElse(null);
            if (replica != null && RunStore.isTerminal(replica.state())) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(replica).isNotNull();
        assertThat(replica.state()).as(replica.message() + "\n" + String.join("\n", runs.log(replica.id(), 0).stream()
                .map(l -> l.step() + ": " + l.message()).toList())).isEqualTo(RunState.SUCCEEDED);
        assertThat(replica.requestedBy()).isEqualTo("dba1");
        InventoryInstance r1 = db.inventory().instance("web-redis-1-r1");
        assertThat(r1.role()).isEqualTo("replica");
        assertThat(r1.cluster()).isEqualTo("web-redis");
    }

    @Test
    @Order(14)
    void aFormPostedWithoutItsCsrfTokenIsRejectedInTheBrowser() throws Exception {
        WebDriver d = browser();
        signIn(d, "dba1");
        Object status = ((JavascriptExecutor) d).executeAsyncScript("var done = arguments[0];"
                + "fetch('/api/silences', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                + " body: JSON.stringify({instance: 'demo-mariadb-1', duration: '1h', reason: 'no token'})}).then(r => done(r.status));");
        assertThat(status).isEqualTo(403L);
        // a plain HTML form without the hidden token
        ((JavascriptExecutor) d).executeScript("var f = document.createElement('form'); f.method = 'post'; f.action = '/logout';"
                + " document.body.appendChild(f); f.submit();");
        new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> x.getPageSource().contains("CSRF"));
        assertThat(d.getPageSource()).contains("missing or wrong CSRF token");
        d.get(stack.dashboardUrl() + "/fleet");
        assertThat(d.getCurrentUrl()).contains("/fleet"); // still signed in: the forged sign-out did nothing
        d.get(stack.dashboardUrl() + "/audit");
        shot(d, "audit");
        d.get(stack.dashboardUrl() + "/ops");
        shot(d, "silences");
    }
}
