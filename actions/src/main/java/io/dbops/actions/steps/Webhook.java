package io.dbops.actions.steps;

import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The {@code notify} and {@code http} step types: a JSON POST to a webhook; any non-2xx answer fails the step. */
public final class Webhook {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Webhook() {
    }

    public static void post(StepContext ctx, String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw StepFailure.transientFailure("webhook " + URI.create(url).getHost() + " answered " + r.statusCode(), null);
        }
        ctx.out("notified " + URI.create(url).getHost() + " (" + r.statusCode() + ")");
    }
}
