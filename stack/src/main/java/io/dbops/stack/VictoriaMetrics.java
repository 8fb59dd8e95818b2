package io.dbops.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** VictoriaMetrics single-node, the local time-series store; it accepts InfluxDB line protocol. */
final class VictoriaMetrics extends ServerComponent {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    VictoriaMetrics(StackConfig config) {
        super(config, "victoria-metrics");
    }

    String url() {
        return "http://" + address();
    }

    @Override
    void prepare() {
        // nothing to lay out: VictoriaMetrics creates its storage folder itself
    }

    @Override
    List<String> command() {
        return List.of("victoria-metrics",
                "-storageDataPath=" + dir().resolve("data"),
                "-httpListenAddr=" + address(),
                "-retentionPeriod=30d",
                // read-after-write for dashboards and tests: no 30 s hiding of recent samples
                "-search.latencyOffset=0s");
    }

    @Override
    boolean ready() {
        return health().ok();
    }

    @Override
    Health health() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Health.ok("healthy, " + url()) : Health.bad("/health answered " + r.statusCode());
        } catch (Exception e) {
            return Health.bad("does not answer: " + e.getMessage());
        }
    }
}
