package io.dbops.flinkjobs.timeseries;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes records as line protocol to an InfluxDB-compatible {@code /write} endpoint
 * (VictoriaMetrics), in batches, flushed at every checkpoint and at end of input, so a sample is
 * written at least once. Writing a sample again is harmless: same series, same timestamp, same
 * value. A store that is down fails the checkpoint, and the job retries it, rather than dropping
 * samples.
 */
public final class TimeSeriesSink<T> implements Sink<T> {
    private static final int BATCH_LINES = 5000;
    private final String writeUrl;
    private final SerializableFunction<T, String> toLine;

    public TimeSeriesSink(String baseUrl, SerializableFunction<T, String> toLine) {
        this.writeUrl = baseUrl.replaceAll("/+$", "") + "/write";
        this.toLine = toLine;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer();
    }

    private final class Writer implements SinkWriter<T> {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final StringBuilder batch = new StringBuilder();
        private int lines;

        @Override
        public void write(T element, Context context) throws IOException {
            batch.append(toLine.apply(element)).append('\n');
            if (++lines >= BATCH_LINES) {
                flush(false);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (lines == 0) {
                return;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(writeUrl)).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(batch.toString(), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw new IOException("time-series store " + writeUrl + " answered " + r.statusCode() + ": " + r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted writing to " + writeUrl, e);
            }
            batch.setLength(0);
            lines = 0;
        }

        @Override
        public void close() {
            // nothing held open: HttpClient needs no closing on Java 17
        }
    }
}
