package io.dbops.flinkjobs.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The writer against a store that is down, then comes back (a real HTTP server speaking
 * {@code /api/v2/write}): the caller never blocks, the buffer is bounded, what cannot be kept is
 * dropped and counted, and writing resumes by itself.
 */
class BufferedTimeSeriesWriterTest {

    @Test
    void buffersDropsAndCountsWhileTheStoreIsDownThenRecoversByItself() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BufferedTimeSeriesWriter.Settings settings = new BufferedTimeSeriesWriter.Settings("http://127.0.0.1:" + port, "o", "b", "t",
                500, Duration.ofMillis(100), 2_000, Duration.ofMillis(100), Duration.ofMillis(300));
        AtomicLong received = new AtomicLong();
        HttpServer store = null;
        try (BufferedTimeSeriesWriter w = new BufferedTimeSeriesWriter(settings)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                w.write("m,instance=db-" + (i % 10) + " v=" + i + " " + (1_700_000_000_000L + i) + "000000");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("writing never waits for the store").isLessThan(Duration.ofSeconds(5));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> w.dropped() > 0);
            assertThat(w.written()).isZero();
            assertThat(w.buffered()).as("bounded").isLessThanOrEqualTo(2_000 + 500);

            store = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            store.createContext("/api/v2/write", x -> {
                InputStream in = "gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(x.getRequestBody()) : x.getRequestBody();
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                received.addAndGet(body.lines().filter(l -> !l.isBlank()).count());
                x.sendResponseHeaders(204, -1);
                x.close();
            });
            store.start();
            for (int i = 0; i < 300; i++) {
                w.write("m,instance=back v=" + i + " " + (1_800_000_000_000L + i) + "000000");
            }
            w.flush();
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(w.written()).isGreaterThanOrEqualTo(300);
                assertThat(received.get()).isEqualTo(w.written());
            });
            assertThat(w.offered()).isEqualTo(20_300);
            assertThat(w.written() + w.dropped() + w.buffered()).as("every line is written, dropped and counted, or buffered")
                    .isEqualTo(w.offered());
            assertThat(w.failedAttempts()).isPositive();
        } finally {
            if (store != null) {
                store.stop(0);
            }
        }
    }
}
