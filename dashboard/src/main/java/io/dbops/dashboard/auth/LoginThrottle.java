package io.dbops.dashboard.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, per user name and per client address alike: a few failures are
 * free, then each further failure within the window locks the key for twice as long as the last
 * (1 s, 2 s, 4 s ... up to {@code maxLock}). A success clears the key; a quiet window forgets it.
 */
public final class LoginThrottle {
    private final int freeFailures;
    private final Duration window;
    private final Duration maxLock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(int failures, Instant lastFailure, Instant lockedUntil) {
    }

    public LoginThrottle() {
        this(5, Duration.ofMinutes(15), Duration.ofMinutes(15));
    }

    public LoginThrottle(int freeFailures, Duration window, Duration maxLock) {
        this.freeFailures = freeFailures;
        this.window = window;
        this.maxLock = maxLock;
    }

    /** How long {@code key} must still wait, or empty when it may try now. */
    public Optional<Duration> wait(String key, Instant now) {
        Entry e = entries.get(key);
        if (e == null || e.lockedUntil == null || !now.isBefore(e.lockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, e.lockedUntil));
    }

    public void failure(String key, Instant now) {
        entries.compute(key, (k, e) -> {
            int failures = e == null || Duration.between(e.lastFailure, now).compareTo(window) > 0 ? 1 : e.failures + 1;
            Instant lock = null;
            if (failures > freeFailures) {
                long seconds = 1L << Math.min(30, failures - freeFailures - 1);
                lock = now.plus(Duration.ofSeconds(seconds).compareTo(maxLock) > 0 ? maxLock : Duration.ofSeconds(seconds));
            }
            return new Entry(failures, now, lock);
        });
        if (entries.size() > 100_000) {
            entries.entrySet().removeIf(x -> Duration.between(x.getValue().lastFailure, now).compareTo(window.plus(maxLock)) > 0);
        }
    }

    public void success(String key) {
        entries.remove(key);
    }
}
