package io.dbops.dashboard;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small client of the dashboard for scripts, benchmarks and tests: signs in like a browser
 * (login form with its token, session cookie, the page's CSRF token) or uses an API token, and
 * reads the live stream.
 */
public final class DashboardClient {
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf\" content=\"([^\"]*)\"");
    private final String base;
    private final HttpClient http;
    private final String bearer;
    private String csrf;

    private DashboardClient(String base, String bearer) {
        this.base = base;
        this.bearer = bearer;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Not signed in (for checking what anonymous callers get). */
    public static DashboardClient anonymous(String base) {
        return new DashboardClient(base, null);
    }

    public static DashboardClient withToken(String base, String token) {
        return new DashboardClient(base, token);
    }

    /** Signs in through the login form; throws with the page's message when refused. */
    public static DashboardClient signIn(String base, String user, String password) throws IOException, InterruptedException {
        DashboardClient c = new DashboardClient(base, null);
        HttpResponse<String> r = c.login(user, password);
        if (r.statusCode() != 302) {
            throw new IOException("sign-in as " + user + " refused: HTTP " + r.statusCode());
        }
        Matcher m = META_CSRF.matcher(c.get("/account").body());
        if (!m.find()) {
            throw new IOException("no CSRF token on /account");
        }
        c.csrf = m.group(1);
        return c;
    }

    /** Posts the login form (with the form's token); the response is 302 on success. */
    public HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        Matcher m = HIDDEN_CSRF.matcher(get("/login").body());
        String token = m.find() ? m.group(1) : "";
        String form = "_csrf=" + enc(token) + "&user=" + enc(user) + "&password=" + enc(password) + "&next=%2Ffleet";
        return send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public String csrf() {
        return csrf;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POSTs JSON with this session's CSRF token. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, csrf, null);
    }

    /** POSTs JSON with the given CSRF token (null: none) and Origin header (null: none). */
    public HttpResponse<String> post(String path, String json, String csrfToken, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrfToken != null) {
            b.header(DashboardApp.CSRF_HEADER, csrfToken);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An open live stream: its status and the events as they arrive, with the time they arrived. */
    public record Stream(int status, BlockingQueue<String[]> events, CompletableFuture<?> done, DashboardClient client) {
        public void close() {
            done.cancel(true);
        }
    }

    /** Opens {@code /live?...}; each event is queued as {event name, data, arrival millis}. */
    public Stream live(String query) throws Exception {
        BlockingQueue<String[]> q = new LinkedBlockingQueue<>();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/live?" + query)).header("Accept", "text/event-stream").GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        CompletableFuture<Integer> status = new CompletableFuture<>();
        String[] name = {null};
        CompletableFuture<?> done = http.sendAsync(b.build(), info -> {
            status.complete(info.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    if (line.startsWith("event:")) {
                        name[0] = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        q.add(new String[] {name[0], line.substring(5).trim(), String.valueOf(System.currentTimeMillis())});
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
        });
        // the stream keeps its client reachable: an HTTP client that is collected stops its connections
        return new Stream(status.get(10, java.util.concurrent.TimeUnit.SECONDS), q, done, this);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
