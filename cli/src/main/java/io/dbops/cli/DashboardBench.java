package io.dbops.cli;

import io.dbops.actions.run.Run;
import io.dbops.actions.run.RunStore;
import io.dbops.dashboard.DashboardClient;
import io.dbops.dashboard.auth.Accounts;
import io.dbops.dashboard.auth.Principal;
import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.RunState;
import io.dbops.events.Severity;
import io.dbops.events.Topic;
import io.dbops.metadata.Inventory;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.InventoryServer;
import io.dbops.metadata.MetadataDb;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./dbops bench dashboard}: the dashboard as its own process (as {@code ./dbops up} runs
 * it) over an inventory of 500 instances, with incidents, alarms, runs and a round of metric
 * samples in place. (1) The JSON API at a constant 200 requests/s (open model: latency counted
 * from when each request was due, so a stall is not hidden), (2) page renders at 20/s, (3) wrk
 * (the reference load tool) for the most the API serves at once, (4) 100 live clients: how long an
 * alarm takes from the producer to every one of them.
 */
final class DashboardBench {
    static final String PW = "bench-password-123";

    record Result(int instances, double apiRate, double apiP50, double apiP99, int apiErrors, double pageP50, double pageP99, int pageErrors,
                  double wrkRps, String wrkLatency, int liveClients, int liveEvents, int liveMissing, double liveP50, double liveP99,
                  double liveMax) {
    }

    private DashboardBench() {
    }

    static Result run(PrintStream out, int apiRate, int seconds) throws Exception {
        Path work = Files.createTempDirectory("dbops-bench-dashboard-");
        LocalStack stack = new LocalStack(new StackConfig(work, 5000), new PrintStream(new ByteArrayOutputStream()), false);
        Process dashboard = null;
        try {
            io.dbops.stack.Packages.ensure(List.of("wrk"), out);
            out.println("starting Kafka, the metadata DB and the demo fleet ...");
            stack.up();
            Map<String, String> m = stack.metadataConnection();
            try (MetadataDb db = MetadataDb.connect(m.get("url"), m.get("user"), m.get("password"));
                 KafkaProducer<String, byte[]> producer = fastProducer(stack.kafkaBootstrap())) {
                List<InstanceRef> fleet = seed(db, producer);
                out.println("seeded " + fleet.size() + " instances, incidents, alarms, runs and metric samples");
                int port = stack.config().port("dashboard");
                dashboard = startDashboard(stack, work, port);
                String base = "http://127.0.0.1:" + port;
                String token = new Accounts(db.dataSource()).createToken("bench-dba", "bench");
                DashboardClient dba = DashboardClient.signIn(base, "bench-dba", PW);

                List<String> apiPaths = new ArrayList<>(List.of("/api/instances", "/api/incidents", "/api/runs?limit=50", "/api/alarms?limit=50",
                        "/api/me", "/api/slowsql?range=1h"));
                for (int i = 0; i < 10; i++) {
                    apiPaths.add("/api/instances/" + fleet.get(i * 37).id());
                }
                out.printf("API: %d requests/s for %d s over %d endpoints (API token) ...%n", apiRate, seconds, apiPaths.size());
                double[] api = openLoad(base, token, null, apiPaths, apiRate, seconds);
                List<String> pages = List.of("/fleet", "/incidents", "/runs", "/slowsql", "/instances/" + fleet.get(3).id(), "/requests/new");
                out.printf("pages: 20 renders/s for %d s ...%n", seconds);
                double[] page = openLoad(base, null, dba, pages, 20, seconds);
                out.println("wrk: 2 threads, 16 connections, 10 s on /api/instances/" + fleet.get(5).id() + " ...");
                String[] wrk = wrk(base + "/api/instances/" + fleet.get(5).id(), token);
                out.println("live: 100 clients, 40 alarms ...");
                double[] live = live(base, token, producer, fleet.get(0), 100, 40);
                return new Result(fleet.size(), api[0], api[1], api[2], (int) api[3], page[1], page[2], (int) page[3],
                        Double.parseDouble(wrk[0]), wrk[1], 100, 40, (int) live[0], live[1], live[2], live[3]);
            }
        } finally {
            if (dashboard != null) {
                dashboard.destroy();
                dashboard.waitFor(10, TimeUnit.SECONDS);
            }
            stack.discard();
        }
    }

    static KafkaProducer<String, byte[]> fastProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    /** 500 instances over 50 servers in 10 business lines, 60 incidents, 2,000 alarms, 300 runs, one round of samples. */
    static List<InstanceRef> seed(MetadataDb db, KafkaProducer<String, byte[]> producer) throws Exception {
        db.migrate();
        Inventory inv = db.inventory();
        Accounts accounts = new Accounts(db.dataSource());
        accounts.save("bench-dba", Principal.Role.DBA, Set.of(), PW);
        List<InstanceRef> refs = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            inv.upsertBusinessLine("bl-" + b, "bench");
        }
        for (int s = 0; s < 50; s++) {
            inv.upsertServer(new InventoryServer("srv-" + s, "10.1." + s / 10 + "." + s, "rack-" + s / 5, "dc-" + s / 25, "gen3", false));
        }
        for (int c = 0; c < 167; c++) {
            inv.upsertCluster("set-" + c, Engine.MARIADB, "bl-" + c % 10, "bench");
        }
        for (int i = 0; i < 500; i++) {
            String cluster = "set-" + i / 3;
            String bl = "bl-" + (i / 3) % 10;
            String server = "srv-" + (i * 7) % 50;
            inv.upsertInstance(new InventoryInstance("db-" + i, Engine.MARIADB, cluster, server, 3306 + i / 50, i % 3 == 0 ? "primary" : "replica",
                    bl, null, "maintenance", null, false));
            refs.add(new InstanceRef("db-" + i, Engine.MARIADB, cluster, server, 3306 + i / 50, bl));
        }
        Instant now = Instant.now();
        for (int k = 0; k < 2000; k++) {
            InstanceRef r = refs.get(k % refs.size());
            Alarm a = new Alarm(Alarm.SCHEMA, now.minusSeconds(2000 - k), "seed-" + k, AlarmStatus.FIRING, "replication_lag", Severity.WARNING, r,
                    r.host(), "lag", "lag on " + r.id(), 30.0, 10.0, null, now.minusSeconds(2000 - k), null);
            producer.send(new ProducerRecord<>(Topic.ALARMS.topicName(), r.id(), EventCodec.toBytes(a)));
        }
        for (int k = 0; k < 60; k++) {
            InstanceRef r = refs.get(k * 8);
            Incident inc = new Incident(Incident.SCHEMA, now, "inc-" + k, IncidentStatus.OPEN, "host", r.host() + " degraded", Severity.CRITICAL,
                    "seed-" + k, List.of("seed-" + k, "seed-" + (k + 500)), List.of(r), List.of(r.host()), List.of(r.businessLine()), null, now, null);
            producer.send(new ProducerRecord<>(Topic.INCIDENTS.topicName(), inc.id(), EventCodec.toBytes(inc)));
        }
        for (InstanceRef r : refs) {
            MetricSample s = new MetricSample(MetricSample.SCHEMA, now, r, "mysql_status", null,
                    Map.of("questions", 1000.0, "threads_connected", 10.0, "threads_running", 2.0), null);
            producer.send(new ProducerRecord<>(Topic.METRICS.topicName(), r.id(), EventCodec.toBytes(s)));
        }
        producer.flush();
        RunStore runs = new RunStore(db.dataSource());
        for (int k = 0; k < 300; k++) {
            InstanceRef r = refs.get(k);
            runs.create(new Run.Spec("mariadb_backup", "bench:" + k + ":" + now.toEpochMilli(), null, null, r.cluster(), r.id(), r.businessLine(),
                    "bench-dba", "auto", true, Map.of("instance", r.id())), RunState.SUCCEEDED);
        }
        return refs;
    }

    static Process startDashboard(LocalStack stack, Path work, int port) throws Exception {
        Path conf = work.resolve("dashboard-bench.properties");
        Files.writeString(conf, "kafka.bootstrap=" + stack.kafkaBootstrap() + "\nmetadata.url=" + stack.metadataConnection().get("url")
                + "\nmetadata.user=dbops\nmetadata.password.secret=metadata.password\nsecrets.file=" + work.resolve("secrets.properties")
                + "\nhttp.port=" + port + "\nvictoria.url=" + stack.victoriaMetricsUrl() + "\n");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms256m", "-Xmx768m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.dbops.dashboard.DashboardMain", conf.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("dashboard.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.body().equals("ok")) {
                    return p;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the dashboard exited; see " + work.resolve("dashboard.log"));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the dashboard did not become ready in 60 s; see " + work.resolve("dashboard.log"));
    }

    /**
     * Sends GETs over {@code paths} in turn at a constant {@code rate} per second for {@code seconds}
     * (after 3 s of warm-up at the same rate); returns {achieved rate, p50 ms, p99 ms, errors}.
     * Latency runs from when the request was due, not when it was sent.
     */
    static double[] openLoad(String base, String token, DashboardClient session, List<String> paths, int rate, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        int warm = 3 * rate;
        int total = warm + seconds * rate;
        AtomicInteger n = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
        long start = System.nanoTime();
        clock.scheduleAtFixedRate(() -> {
            int i = n.getAndIncrement();
            if (i >= total) {
                return;
            }
            long due = start + i * periodNanos;
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + paths.get(i % paths.size()))).timeout(Duration.ofSeconds(10));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            Runnable count = () -> done.countDown();
            if (session != null) {
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        HttpResponse<String> r = session.get(paths.get(i % paths.size()));
                        record(i >= warm, r.statusCode(), due, latencies, errors);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }, http.executor().orElseThrow()).whenComplete((x, e) -> count.run());
            } else {
                http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                    if (e != null) {
                        errors.incrementAndGet();
                    } else {
                        record(i >= warm, r.statusCode(), due, latencies, errors);
                    }
                    count.run();
                });
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await(seconds + 60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        clock.shutdownNow();
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {(double) total * 1e9 / elapsed, pct(sorted, 0.50), pct(sorted, 0.99), errors.get()};
    }

    private static void record(boolean measured, int status, long due, ConcurrentLinkedQueue<Double> latencies, AtomicInteger errors) {
        if (status != 200) {
            errors.incrementAndGet();
        }
        if (measured) {
            latencies.add((System.nanoTime() - due) / 1e6);
        }
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** wrk's closed-loop maximum on one API call: {requests/s, its latency line}. */
    static String[] wrk(String url, String token) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c16", "-d10s", "--latency", "-H", "Authorization: Bearer " + token, url)
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        String rps = "NaN";
        String lat = "";
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Requests/sec:")) {
                rps = t.substring("Requests/sec:".length()).trim();
            } else if (t.startsWith("99%")) {
                lat = "p99 " + t.substring(3).trim();
            }
        }
        return new String[] {rps, lat};
    }

    /**
     * {@code clients} live streams (as a DBA, kind alarm); sends {@code events} alarms 5 per second
     * and times each one to each client. Returns {missing deliveries, p50 ms, p99 ms, max ms}.
     */
    static double[] live(String base, String token, KafkaProducer<String, byte[]> producer, InstanceRef on, int clients, int events)
            throws Exception {
        DashboardClient client = DashboardClient.withToken(base, token);
        List<DashboardClient.Stream> streams = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            streams.add(client.live("kinds=alarm"));
        }
        Thread.sleep(1000);
        streams.forEach(s -> s.events().clear());
        String tag = Long.toString(System.nanoTime(), 36);
        long[] sentAt = new long[events];
        for (int k = 0; k < events; k++) {
            Instant now = Instant.now();
            Alarm a = new Alarm(Alarm.SCHEMA, now, "live-" + tag + "-" + k, AlarmStatus.FIRING, "bench_live", Severity.INFO, on, on.host(), "bench",
                    "live " + tag + " #" + k, null, null, null, now, null);
            sentAt[k] = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(Topic.ALARMS.topicName(), on.id(), EventCodec.toBytes(a)));
            Thread.sleep(200);
        }
        Thread.sleep(3000);
        List<Double> lat = new ArrayList<>();
        int missing = 0;
        for (DashboardClient.Stream s : streams) {
            boolean[] seen = new boolean[events];
            for (String[] e : s.events()) {
                int at = e[1].indexOf("live " + tag + " #");
                if (at >= 0) {
                    String rest = e[1].substring(at + ("live " + tag + " #").length());
                    int k = Integer.parseInt(rest.replaceAll("^(\\d+).*$", "$1"));
                    if (!seen[k]) {
                        seen[k] = true;
                        lat.add((double) (Long.parseLong(e[2]) - sentAt[k]));
                    }
                }
            }
            for (boolean b : seen) {
                missing += b ? 0 : 1;
            }
            s.close();
        }
        double[] sorted = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {missing, pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]};
    }

}
