package io.dbops.collectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The scheduler with stand-in pollers: liveness, deadlines, one hanging target, target list changes, redaction. */
class MetricsCollectorTest {
    static MetricsTarget target(String id) {
        return new MetricsTarget(new InstanceRef(id, Engine.REDIS, "c", "h", 1, "bl"), "127.0.0.1", 1, "primary", null);
    }

    /** Answers at once, or hangs until aborted, or fails with a message containing a secret, or answers pings but fails polls. */
    static final class FakePoller implements Poller {
        final String mode;
        final CountDownLatch aborted = new CountDownLatch(1);

        FakePoller(String mode) {
            this.mode = mode;
        }

        @Override
        public List<MetricSample> poll(Instant now) throws Exception {
            ping();
            if (mode.equals("poll-fails")) {
                throw new java.sql.SQLException("SHOW ENGINE INNODB STATUS: Lock wait timeout exceeded");
            }
            return List.of(new MetricSample(1, now, target("x").instance(), "fake", null, Map.of("v", 1.0), null));
        }

        @Override
        public void ping() throws Exception {
            if (mode.equals("hang")) {
                aborted.await(60, TimeUnit.SECONDS);
                throw new java.io.IOException("aborted");
            }
            if (mode.equals("fail")) {
                throw new java.sql.SQLException("Access denied for user 'mon' (using password: s3cret-pass)");
            }
        }

        @Override
        public void close() {
            aborted.countDown();
        }
    }

    @Test
    void aHangingTargetIsReportedDownAndNeverDelaysTheOthers() {
        ConcurrentLinkedQueue<MetricSample> out = new ConcurrentLinkedQueue<>();
        List<MetricsTarget> targets = new CopyOnWriteArrayList<>(List.of(target("fast"), target("hung"), target("broken"), target("flaky")));
        try (MetricsCollector c = new MetricsCollector(() -> targets,
                t -> new FakePoller(t.id().equals("hung") ? "hang" : t.id().equals("broken") ? "fail" : t.id().equals("flaky") ? "poll-fails" : "ok"), out::add,
                MetricsCollectorMain.redactor(props("fleet.x.password", "s3cret-pass")),
                new MetricsCollector.Settings(Duration.ofMillis(300), Duration.ofMillis(100), 4, Duration.ofMillis(700)), Clock.systemUTC())) {
            c.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(ups(out, "fast", 1.0)).hasSizeGreaterThan(10);
                assertThat(ups(out, "hung", 0.0)).anySatisfy(s -> assertThat(s.error()).contains("timed out after 700 ms"));
                assertThat(ups(out, "broken", 0.0)).isNotEmpty();
                // a poll that fails while the server answers its liveness checks is a scrape error, not an outage
                assertThat(out).anySatisfy(s -> {
                    assertThat(s.instance().id()).isEqualTo("flaky");
                    assertThat(s.measurement()).isEqualTo("scrape");
                    assertThat(s.fields()).containsEntry("error", 1.0);
                    assertThat(s.error()).contains("Lock wait timeout");
                });
                assertThat(ups(out, "flaky", 1.0)).isNotEmpty();
            });
            assertThat(ups(out, "flaky", 0.0)).isEmpty();
            assertThat(ups(out, "broken", 0.0)).allSatisfy(s -> assertThat(s.error()).doesNotContain("s3cret-pass").contains("***"));
            assertThat(c.overran()).isPositive();
            // the fast target was checked every ~100 ms all along, hung neighbour or not
            List<MetricSample> fast = ups(out, "fast", 1.0);
            long worstGap = 0;
            for (int i = 1; i < fast.size(); i++) {
                worstGap = Math.max(worstGap, fast.get(i).time().toEpochMilli() - fast.get(i - 1).time().toEpochMilli());
            }
            assertThat(worstGap).isLessThan(600);

            targets.remove(target("fast"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(out).anySatisfy(s -> {
                assertThat(s.measurement()).isEqualTo("inventory");
                assertThat(s.instance().id()).isEqualTo("fast");
                assertThat(s.fields()).containsEntry("removed", 1.0);
            }));
            assertThat(c.targetCount()).isEqualTo(3);
        }
    }

    private static List<MetricSample> ups(ConcurrentLinkedQueue<MetricSample> out, String id, double up) {
        List<MetricSample> list = new ArrayList<>();
        for (MetricSample s : out) {
            if (s.measurement().equals("up") && s.instance().id().equals(id) && s.fields().get("up") == up) {
                list.add(s);
            }
        }
        return list;
    }

    private static java.util.Properties props(String k, String v) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(k, v);
        return p;
    }

    @Test
    void targetsFileListsEveryProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("targets.yaml");
        java.nio.file.Files.writeString(f, """
                targets:
                  - {id: db-1, engine: mariadb, host: 10.0.0.1, port: 3306, cluster: orders, credential: fleet.mariadb.monitor}
                  - {id: db-2, engine: oracle, host: 10.0.0.2, port: 99999}
                  - {engine: redis, host: '', port: 6379, colour: red}
                  - {id: db-4, engine: redis, host: h, port: 6379, interval: soon}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsTargets.readFile(f))
                .hasMessageContaining("targets[1]: 'engine' must be mysql, mariadb, redis or mongo, got 'oracle'")
                .hasMessageContaining("targets[1]: 'port' must be 1-65535, got '99999'")
                .hasMessageContaining("targets[2]: 'id' is required")
                .hasMessageContaining("targets[2]: 'host' is required")
                .hasMessageContaining("targets[2]: unknown key 'colour'")
                .hasMessageContaining("targets[3]: 'interval' must be a duration");
        java.nio.file.Files.writeString(f, "targets:\n  - {id: db-1, engine: mariadb, host: 10.0.0.1, port: 3306, cluster: orders, interval: 30s}\n");
        assertThat(MetricsTargets.readFile(f)).singleElement().satisfies(t -> {
            assertThat(t.instance().engine()).isEqualTo(Engine.MARIADB);
            assertThat(t.instance().cluster()).isEqualTo("orders");
            assertThat(t.interval()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    /** A port that answers garbage, and one that accepts and then says nothing: the real pollers report both down. */
    @Test
    void realPollersReportGarbageAndSilentServersDownWithTheirError() throws Exception {
        try (java.net.ServerSocket garbage = new java.net.ServerSocket(0); java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            Thread answer = new Thread(() -> {
                while (!garbage.isClosed()) {
                    try (java.net.Socket s = garbage.accept()) {
                        s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\n\u0000\u00ff garbage\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                        Thread.sleep(100);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            answer.setDaemon(true);
            answer.start();
            List<java.net.Socket> held = new CopyOnWriteArrayList<>();
            Thread accept = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            List<MetricsTarget> targets = List.of(
                    new MetricsTarget(new InstanceRef("garbage-sql", Engine.MARIADB, null, "h", garbage.getLocalPort(), null), "127.0.0.1",
                            garbage.getLocalPort(), "primary", null),
                    new MetricsTarget(new InstanceRef("garbage-redis", Engine.REDIS, null, "h", garbage.getLocalPort(), null), "127.0.0.1",
                            garbage.getLocalPort(), "primary", null),
                    new MetricsTarget(new InstanceRef("silent-sql", Engine.MARIADB, null, "h", silent.getLocalPort(), null), "127.0.0.1",
                            silent.getLocalPort(), "primary", null),
                    new MetricsTarget(new InstanceRef("silent-redis", Engine.REDIS, null, "h", silent.getLocalPort(), null), "127.0.0.1",
                            silent.getLocalPort(), "primary", null));
            ConcurrentLinkedQueue<MetricSample> out = new ConcurrentLinkedQueue<>();
            Poller.Timeouts timeouts = new Poller.Timeouts(Duration.ofMillis(500), Duration.ofMillis(800));
            try (MetricsCollector c = new MetricsCollector(() -> targets,
                    MetricsCollectorMain.pollers(new java.util.Properties(), "monitor", timeouts, q -> { }), out::add, s -> s,
                    new MetricsCollector.Settings(Duration.ofSeconds(1), Duration.ofMillis(500), 8, Duration.ofSeconds(3)), Clock.systemUTC())) {
                c.start();
                Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    for (String id : List.of("garbage-sql", "garbage-redis", "silent-sql", "silent-redis")) {
                        assertThat(ups(out, id, 0.0)).as(id).anySatisfy(s -> assertThat(s.error()).isNotBlank());
                    }
                });
                assertThat(ups(out, "garbage-sql", 1.0)).isEmpty();
                assertThat(ups(out, "silent-redis", 1.0)).isEmpty();
            }
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }
}
