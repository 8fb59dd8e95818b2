package io.dbops.flinkjobs.timeseries;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.BadRequestException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Line protocol to VictoriaMetrics or InfluxDB 2 through influxdb-client-java's {@code /api/v2/write},
 * from a bounded buffer drained by one background thread: batches of {@code batchLines} (or what
 * has come within {@code flushInterval}), retried with exponential backoff for as long as the store
 * is down. The caller never waits: when the buffer is full the oldest lines are dropped and counted
 * ({@link #dropped()}), and writing resumes by itself when the store is back. Every line offered is
 * eventually written, dropped (counted) or still buffered: none vanishes. Dashboards lose a gap;
 * alarms, which come from the stream, lose nothing.
 */
public final class BufferedTimeSeriesWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedTimeSeriesWriter.class);

    /** Where and how to write; {@code org}, {@code bucket} and {@code token} matter to InfluxDB 2 only. */
    public record Settings(String url, String org, String bucket, String token, int batchLines, Duration flushInterval,
                           int bufferLines, Duration firstRetry, Duration maxRetryDelay) implements Serializable {
        public static Settings of(String url) {
            return new Settings(url, "dbops", "dbops", "unused", 5000, Duration.ofSeconds(1), 200_000, Duration.ofSeconds(1),
                    Duration.ofSeconds(30));
        }

        public Settings withBuffer(int lines) {
            return new Settings(url, org, bucket, token, batchLines, flushInterval, lines, firstRetry, maxRetryDelay);
        }
    }

    private final Settings settings;
    private final InfluxDBClient client;
    private final WriteApiBlocking write;
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    private final Thread drainer;
    private long offered;
    private long written;
    private long dropped;
    private long failedAttempts;
    private int inFlight;
    private boolean closing;
    private long lastWarning;

    public BufferedTimeSeriesWriter(Settings s) {
        this.settings = s;
        client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder().url(s.url()).org(s.org()).bucket(s.bucket())
                .authenticateToken(s.token().toCharArray()).build());
        write = client.getWriteApiBlocking();
        drainer = new Thread(this::drain, "tsdb-writer");
        drainer.setDaemon(true);
        drainer.start();
    }

    /** Queues one line (nanosecond timestamps); never blocks on the store. */
    public synchronized void write(String line) {
        if (line == null) {
            return;
        }
        offered++;
        if (buffer.size() >= settings.bufferLines()) {
            buffer.pollFirst();
            dropped++;
            warn("time-series buffer full (" + settings.bufferLines() + " lines): dropping the oldest; " + dropped + " dropped so far");
        }
        buffer.addLast(line);
        if (buffer.size() >= settings.batchLines()) {
            notifyAll();
        }
    }

    /** Waits (up to 30 s) until everything queued so far is written or dropped. */
    public synchronized void flush() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        notifyAll();
        while ((!buffer.isEmpty() || inFlight > 0) && System.currentTimeMillis() < deadline) {
            wait(50);
        }
    }

    private void drain() {
        long backoff = settings.firstRetry().toMillis();
        List<String> batch = new ArrayList<>();
        while (true) {
            synchronized (this) {
                try {
                    long until = System.currentTimeMillis() + settings.flushInterval().toMillis();
                    while (batch.isEmpty() && buffer.size() < settings.batchLines() && !closing && System.currentTimeMillis() < until) {
                        wait(Math.max(1, until - System.currentTimeMillis()));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (batch.isEmpty()) {
                    while (batch.size() < settings.batchLines() && !buffer.isEmpty()) {
                        batch.add(buffer.pollFirst());
                    }
                }
                inFlight = batch.size();
                if (batch.isEmpty()) {
                    notifyAll();
                    if (closing) {
                        return;
                    }
                    continue;
                }
            }
            try {
                write.writeRecords(WritePrecision.NS, batch);
                synchronized (this) {
                    written += batch.size();
                    inFlight = 0;
                    notifyAll();
                }
                batch.clear();
                backoff = settings.firstRetry().toMillis();
            } catch (BadRequestException e) {
                // the store refuses these lines (not a transient failure): retrying cannot help
                synchronized (this) {
                    dropped += batch.size();
                    inFlight = 0;
                    warn("time-series store " + settings.url() + " refused " + batch.size() + " lines: " + e.getMessage());
                }
                batch.clear();
            } catch (RuntimeException e) {
                synchronized (this) {
                    failedAttempts++;
                    warn("time-series store " + settings.url() + " failed (" + e.getMessage() + "); retrying in " + backoff + " ms, "
                            + buffer.size() + " lines buffered");
                    if (closing) {
                        dropped += batch.size() + buffer.size();
                        buffer.clear();
                        inFlight = 0;
                        notifyAll();
                        return;
                    }
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, settings.maxRetryDelay().toMillis());
            }
        }
    }

    private void warn(String message) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 10_000) {
            lastWarning = now;
            LOG.warn(message);
        }
    }

    public synchronized long offered() {
        return offered;
    }

    public synchronized long written() {
        return written;
    }

    /** Lines given up: the oldest of a full buffer, lines the store refused, and what was left when closed with the store down. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Write attempts that failed and were retried. */
    public synchronized long failedAttempts() {
        return failedAttempts;
    }

    public synchronized long buffered() {
        return buffer.size() + inFlight;
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            drainer.join(settings.maxRetryDelay().toMillis() + 30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
