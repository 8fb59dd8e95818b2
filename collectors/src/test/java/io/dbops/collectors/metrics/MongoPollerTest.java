package io.dbops.collectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import io.dbops.events.SlowQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The Mongo poller over the real wire protocol against {@link MongoStandIn} (a stand-in: no mongod
 * can be installed here). Profiler documents are the real ones of ../shared/conformance when it is
 * there, and their fingerprints must be pt-mongodb-query-digest's.
 */
class MongoPollerTest {
    static final Path CONFORMANCE = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/conformance");

    @Test
    void pollsStatusReplicaSetCurrentOpAndProfilerOverTheWire() throws Exception {
        try (MongoStandIn mongo = new MongoStandIn()) {
            MetricsTarget t = new MetricsTarget(new InstanceRef("mongo-1", Engine.MONGO, "rs0", "h", mongo.port(), "bl"), "127.0.0.1",
                    mongo.port(), "primary", null);
            List<SlowQuery> slow = new CopyOnWriteArrayList<>();
            try (MongoPoller poller = new MongoPoller(t, null, null, Poller.Timeouts.DEFAULT, slow::add);
                 MongoClient app = MongoClients.create("mongodb://127.0.0.1:" + mongo.port())) {
                poller.ping();
                app.getDatabase("shop").getCollection("orders").insertOne(new Document("state", "new"));
                List<MetricSample> first = poller.poll(Instant.now());
                Map<String, MetricSample> by = first.stream().collect(Collectors.toMap(MetricSample::measurement, s -> s));
                assertThat(by.get("mongo_status").fields()).containsEntry("opcounters_query", 50_000.0)
                        .containsEntry("connections_current", 25.0).containsEntry("wt_cache_used_bytes", 7.9e9)
                        .containsEntry("wt_cache_max_bytes", 8.0e9).containsEntry("lock_queue_total", 3.0).containsEntry("is_primary", 1.0);
                assertThat(by.get("mongo_repl").fields()).containsEntry("my_state", 1.0).containsEntry("has_primary", 1.0)
                        .containsEntry("healthy_members", 2.0).containsEntry("members", 3.0).containsEntry("lag_seconds", 0.0);
                assertThat(by.get("mongo_repl").tags()).containsEntry("set", "rs0");
                assertThat(by.get("mongo_currentop").fields()).containsEntry("active_ops", 2.0).containsEntry("longest_op_seconds", 95.0);
                assertThat(slow).as("history from before the collector started is not replayed").isEmpty();

                // the profiler writes: real profile documents, stamped after the first poll
                List<String> expected = new ArrayList<>();
                Path profiles = CONFORMANCE.resolve("mongo-profiles");
                long ts = System.currentTimeMillis() + 1_000;
                if (Files.isDirectory(profiles)) {
                    try (var files = Files.list(profiles)) {
                        for (Path f : files.filter(p -> p.toString().endsWith("_3.6.2.json")).sorted().toList()) {
                            Document d = Document.parse(Files.readString(f));
                            d.put("ts", new Date(ts++));
                            d.remove("_id");
                            mongo.profile("shop", d);
                            expected.add(Document.parse(Files.readString(CONFORMANCE.resolve("mongo-fingerprints").resolve(f.getFileName())))
                                    .getString("Fingerprint"));
                        }
                    }
                }
                mongo.profile("shop", new Document("op", "query").append("ns", "shop.orders").append("ts", new Date(ts++)).append("millis", 1_250)
                        .append("command", new Document("find", "orders").append("filter", new Document("state", "new").append("user", 7)))
                        .append("nreturned", 3).append("docsExamined", 90_000).append("planSummary", "COLLSCAN").append("user", "app@shop")
                        .append("client", "10.0.0.9"));
                expected.add("FIND orders state,user");
                poller.poll(Instant.now());
                assertThat(slow).extracting(SlowQuery::fingerprint).containsExactlyElementsOf(expected);
                SlowQuery q = slow.get(slow.size() - 1);
                assertThat(q.instance().engine()).isEqualTo(Engine.MONGO);
                assertThat(q.queryTimeSec()).isEqualTo(1.25);
                assertThat(q.rowsExamined()).isEqualTo(90_000L);
                assertThat(q.database()).isEqualTo("shop");
                assertThat(q.attributes()).containsEntry("planSummary", "COLLSCAN");
                assertThat(q.queryId()).isEqualTo(io.dbops.sql.Fingerprinter.queryId("FIND orders state,user"));
                poller.poll(Instant.now());
                assertThat(slow).as("each profile document once").hasSize(expected.size());

                mongo.primary = false;
                mongo.secondaryLagSeconds = 0;
                Map<String, MetricSample> later = poller.poll(Instant.now()).stream().collect(Collectors.toMap(MetricSample::measurement, s -> s));
                assertThat(later.get("mongo_repl").fields()).containsEntry("my_state", 2.0);

                mongo.shutdown();
                Thread.sleep(200);
                assertThatThrownBy(poller::ping).isNotNull();
            }
        }
    }

    @Test
    void aServerThatIsNotThereFailsWithinTheConnectTimeout() {
        MetricsTarget t = new MetricsTarget(new InstanceRef("gone", Engine.MONGO, null, "h", 1, null), "127.0.0.1", 1, null, null);
        long start = System.nanoTime();
        try (MongoPoller p = new MongoPoller(t, null, null, new Poller.Timeouts(Duration.ofMillis(500), Duration.ofSeconds(1)), q -> { })) {
            assertThatThrownBy(p::ping).hasMessageContaining("127.0.0.1:1");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
