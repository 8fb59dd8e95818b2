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
    /**
     * The buffer, as request bodies: lines are appended to the last chunk until it holds a batch, so a line is copied once
     * on its way in and the drainer sends a chunk as it is (a deque of lines joined per request cost more than the rules).
     */
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final Thread drainer;
    private long bufferedLines;
    private long offered;
    private long written;
    private long dropped;
    private long failedAttempts;
    private int inFlight;
    private boolean closing;
    private long lastWarning;

    /** Lines joined by newlines, ready to send. */
    private static final class Chunk {
        final StringBuilder text;
        int lines;

        Chunk(int capacity) {
            text = new StringBuilder(capacity);
        }
    }

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
        if (bufferedLines >= settings.bufferLines()) {
            Chunk oldest = chunks.pollFirst();
            bufferedLines -= oldest.lines;
            dropped += oldest.lines;
            warn("time-series buffer full (" + settings.bufferLines() + " lines): dropping the oldest; " + dropped + " dropped so far");
        }
        Chunk last = chunks.peekLast();
        if (last == null || last.lines >= settings.batchLines()) {
            last = new Chunk(last == null ? 1024 : last.text.length() + 1024);
            chunks.addLast(last);
        } else {
            last.text.append('\n');
        }
        last.text.append(line);
        last.lines++;
        bufferedLines++;
        if (last.lines >= settings.batchLines()) {
            notifyAll();
        }
    }

    /** Waits (up to 30 s) until everything queued so far is written or dropped. */
    public synchronized void flush() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        notifyAll();
        while ((bufferedLines > 0 || inFlight > 0) && System.currentTimeMillis() < deadline) {
            wait(50);
        }
    }

    private void drain() {
        long backoff = settings.firstRetry().toMillis();
        Chunk batch = null;
        while (true) {
            synchronized (this) {
                try {
                    long until = System.currentTimeMillis() + settings.flushInterval().toMillis();
                    while (batch == null && (chunks.isEmpty() || chunks.peekFirst().lines < settings.batchLines()) && !closing
                            && System.currentTimeMillis() < until) {
                        wait(Math.max(1, until - System.currentTimeMillis()));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (batch == null && !chunks.isEmpty()) {
                    batch = chunks.pollFirst();
                    bufferedLines -= batch.lines;
                }
                inFlight = batch == null ? 0 : batch.lines;
                if (batch == null) {
                    notifyAll();
                    if (closing) {
                        return;
                    }
                    continue;
                }
            }
            try {
                write.writeRecord(WritePrecision.NS, batch.text.toString());
                synchronized (this) {
                    written += batch.lines;
                    inFlight = 0;
                    notifyAll();
                }
                batch = null;
                backoff = settings.firstRetry().toMillis();
            } catch (BadRequestException e) {
                // the store refuses these lines (not a transient failure): retrying cannot help
                synchronized (this) {
                    dropped += batch.lines;
                    inFlight = 0;
                    warn("time-series store " + settings.url() + " refused " + batch.lines + " lines: " + e.getMessage());
                }
                batch = null;
            } catch (RuntimeException e) {
                synchronized (this) {
                    failedAttempts++;
                    warn("time-series store " + settings.url() + " failed (" + e.getMessage() + "); retrying in " + backoff + " ms, "
                            + bufferedLines + " lines buffered");
                    if (closing) {
                        dropped += batch.lines + bufferedLines;
                        chunks.clear();
                        bufferedLines = 0;
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
        return bufferedLines + inFlight;
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
