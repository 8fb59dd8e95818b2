package io.dbops.flinkjobs.timeseries;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApi;
import com.influxdb.client.WriteOptions;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.events.BackpressureEvent;
import com.influxdb.client.write.events.WriteErrorEvent;
import com.influxdb.client.write.events.WriteRetriableErrorEvent;
import com.influxdb.client.write.events.WriteSuccessEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Line protocol to VictoriaMetrics or InfluxDB 2 through influxdb-client-java's {@code /api/v2/write}:
 * batches, retries with exponential backoff, and a bounded buffer. When the store is down the
 * caller never waits: lines queue up to {@link Settings#bufferLines}, then the oldest are dropped
 * and counted ({@link #dropped()}), and writing resumes by itself when the store is back.
 * Dashboards lose a gap; alarms, which come from the stream, lose nothing.
 */
public final class BufferedTimeSeriesWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedTimeSeriesWriter.class);

    /** Where and how to write; {@code org}, {@code bucket} and {@code token} matter to InfluxDB 2 only. */
    public record Settings(String url, String org, String bucket, String token, int batchLines, Duration flushInterval,
                           int bufferLines, Duration firstRetry, Duration maxRetryDelay, int maxRetries) implements Serializable {
        public static Settings of(String url) {
            return new Settings(url, "dbops", "dbops", "unused", 5000, Duration.ofSeconds(1), 200_000, Duration.ofSeconds(1),
                    Duration.ofSeconds(30), 5);
        }

        public Settings withBuffer(int lines) {
            return new Settings(url, org, bucket, token, batchLines, flushInterval, lines, firstRetry, maxRetryDelay, maxRetries);
        }
    }

    private final InfluxDBClient client;
    private final WriteApi write;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private volatile long lastWarning;
    private static final int HANDOFF = 1000;
    private final long handoffMillis;
    private java.util.List<String> pending = new java.util.ArrayList<>(HANDOFF);
    private long lastHandoff = System.currentTimeMillis();

    public BufferedTimeSeriesWriter(Settings s) {
        handoffMillis = s.flushInterval().toMillis();
        client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder().url(s.url()).org(s.org()).bucket(s.bucket())
                .authenticateToken(s.token().toCharArray()).build());
        write = client.makeWriteApi(WriteOptions.builder()
                .batchSize(s.batchLines())
                .flushInterval((int) s.flushInterval().toMillis())
                .bufferLimit(s.bufferLines())
                .retryInterval((int) s.firstRetry().toMillis())
                .maxRetryDelay((int) s.maxRetryDelay().toMillis())
                .maxRetries(s.maxRetries())
                .exponentialBase(2)
                .jitterInterval(200)
                .build());
        write.listenEvents(WriteSuccessEvent.class, e -> written.addAndGet(lines(e.getLineProtocol())));
        write.listenEvents(BackpressureEvent.class, e -> {
            // the client drops the oldest points beyond the buffer limit
            long n = 0;
            for (String batch : e.getDroppedLineProtocol() == null ? java.util.List.<String>of() : e.getDroppedLineProtocol()) {
                n += lines(batch);
            }
            dropped.addAndGet(n);
            warn("time-series buffer full (" + s.bufferLines() + " lines): dropping the oldest; " + dropped.get() + " dropped so far");
        });
        write.listenEvents(WriteRetriableErrorEvent.class, e -> warn("time-series store " + s.url() + " failed, retrying: "
                + e.getThrowable().getMessage()));
        write.listenEvents(WriteErrorEvent.class, e -> {
            failedBatches.incrementAndGet();
            warn("time-series write to " + s.url() + " failed for good: " + e.getThrowable().getMessage());
        });
    }

    private static long lines(String lineProtocol) {
        if (lineProtocol == null || lineProtocol.isEmpty()) {
            return 0;
        }
        return lineProtocol.chars().filter(c -> c == '\n').count() + (lineProtocol.endsWith("\n") ? 0 : 1);
    }

    private void warn(String message) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 10_000) {
            lastWarning = now;
            LOG.warn(message);
        }
    }

    /**
     * Queues one line (nanosecond timestamps); never blocks on the store. Lines are handed to the
     * client a thousand at a time (or every {@code flushInterval}): one at a time, its reactive
     * pipeline costs more than building the lines.
     */
    public void write(String line) {
        if (line != null) {
            offered.incrementAndGet();
            pending.add(line);
            long now = System.currentTimeMillis();
            if (pending.size() >= HANDOFF || now - lastHandoff >= handoffMillis) {
                handOff(now);
            }
        }
    }

    private void handOff(long now) {
        lastHandoff = now;
        if (!pending.isEmpty()) {
            write.writeRecords(WritePrecision.NS, pending);
            pending = new java.util.ArrayList<>(HANDOFF);
        }
    }

    /** Hands over what is queued here; the client then writes it within its flush interval. */
    public void handOff() {
        handOff(System.currentTimeMillis());
    }

    /** Writes everything now (end of input). */
    public void flush() {
        handOff();
        write.flush();
    }

    public long offered() {
        return offered.get();
    }

    public long written() {
        return written.get();
    }

    /** Lines given up: dropped from a full buffer, or in batches that failed after every retry. */
    public long dropped() {
        return dropped.get();
    }

    public long failedBatches() {
        return failedBatches.get();
    }

    @Override
    public void close() {
        handOff();
        write.close();
        client.close();
    }
}
