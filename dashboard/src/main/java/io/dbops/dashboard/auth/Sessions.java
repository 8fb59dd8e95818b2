package io.dbops.dashboard.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browser sessions, held in memory by this dashboard process (a restart signs everyone
 * out; several dashboard processes need sticky sessions). Each session has its own CSRF token.
 * Sessions end after {@code idle} without a request, and when the user's role or password changes.
 */
public final class Sessions {
    private final Duration idle;
    private final Map<String, Session> byId = new ConcurrentHashMap<>();

    public Sessions(Duration idle) {
        this.idle = idle;
    }

    public static final class Session {
        private final String id;
        private final Principal principal;
        private final String csrf;
        private volatile Instant lastSeen;

        Session(String id, Principal principal, String csrf, Instant now) {
            this.id = id;
            this.principal = principal;
            this.csrf = csrf;
            this.lastSeen = now;
        }

        public String id() {
            return id;
        }

        public Principal principal() {
            return principal;
        }

        public String csrf() {
            return csrf;
        }
    }

    public Session create(Principal p, Instant now) {
        Session s = new Session(PasswordHash.randomToken(32), p, PasswordHash.randomToken(24), now);
        byId.put(s.id, s);
        if (byId.size() > 10_000) {
            byId.values().removeIf(x -> Duration.between(x.lastSeen, now).compareTo(idle) > 0);
        }
        return s;
    }

    public Optional<Session> find(String id, Instant now) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (Duration.between(s.lastSeen, now).compareTo(idle) > 0) {
            byId.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    public void end(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** Signs a user out everywhere (role, business lines or password changed, account disabled). */
    public void endAll(String user) {
        byId.values().removeIf(s -> s.principal.name().equals(user));
    }
}
