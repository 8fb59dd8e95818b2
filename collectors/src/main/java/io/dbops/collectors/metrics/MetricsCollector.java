package io.dbops.collectors.metrics;

import io.dbops.events.MetricSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules every target's polls on a bounded pool: a full poll every {@code interval} and a
 * liveness check every {@code liveness}, the check emitting {@code up} (1, or 0 with the error text)
 * so that absence and outages are visible; a failed or overrun full poll emits {@code scrape}
 * ({@code error} 1 with the text), never {@code up} 0. Each target has at most one poll and one
 * liveness check in flight; one that overruns its deadline is abandoned and its connections are
 * aborted (a check that overran reports the target down), so a hanging server costs one worker for
 * at most the deadline and never delays the others. Targets
 * come from a supplier (the inventory, re-read periodically); a target that disappears is closed
 * and announced with an {@code inventory} sample ({@code removed = 1}) so the rule engine drops its state.
 */
public final class MetricsCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);

    /**
     * @param interval     full poll period per target
     * @param liveness     liveness check period per target
     * @param concurrency  worker threads: polls in flight at once, across all targets
     * @param deadline     a poll or check still running after this is abandoned and reported
     */
    public record Settings(Duration interval, Duration liveness, int concurrency, Duration deadline) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 32, Duration.ofSeconds(8));
    }

    private final Supplier<List<MetricsTarget>> targets;
    private final Function<MetricsTarget, Poller> pollers;
    private final Consumer<MetricSample> sink;
    private final Function<String, String> redact;
    private final Settings settings;
    private final Clock clock;
    private final ExecutorService workers;
    /** Liveness checks have their own threads: a pool busy with slow full polls never delays one. */
    private final ExecutorService checkers;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "metrics-ticker"));
    private final Map<String, TargetState> states = new HashMap<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong overran = new AtomicLong();

    private static final class TargetState {
        final MetricsTarget target;
        final Poller poller;
        long nextPoll;
        long nextPing;
        Future<?> poll;
        /** When the running poll began (0: queued, not yet started: a queued task has no deadline running). */
        volatile long pollStarted;
        Future<?> ping;
        volatile long pingStarted;

        TargetState(MetricsTarget target, Poller poller) {
            this.target = target;
            this.poller = poller;
        }
    }

    /**
     * @param redact removes secrets from error texts before they leave the process
     */
    public MetricsCollector(Supplier<List<MetricsTarget>> targets, Function<MetricsTarget, Poller> pollers, Consumer<MetricSample> sink,
                            Function<String, String> redact, Settings settings, Clock clock) {
        this.targets = targets;
        this.pollers = pollers;
        this.sink = sink;
        this.redact = redact;
        this.settings = settings;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), r -> daemon(r, "metrics-poll"));
        this.checkers = Executors.newFixedThreadPool(Math.max(2, settings.concurrency() / 2), r -> daemon(r, "metrics-liveness"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Ticks every 100 ms until closed. */
    public void start() {
        ticker.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("metrics tick failed", e);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** One round: follow the target list, abandon overrun work, start what is due. */
    public synchronized void tick() {
        long now = clock.millis();
        Set<String> seen = new HashSet<>();
        for (MetricsTarget t : targets.get()) {
            seen.add(t.id());
            TargetState s = states.get(t.id());
            if (s != null && !s.target.equals(t)) {
                // moved or re-credentialed: start over with a fresh connection
                s.poller.close();
                states.remove(t.id());
                s = null;
            }
            if (s == null) {
                Poller p;
                try {
                    p = pollers.apply(t);
                } catch (RuntimeException e) {
                    emitDown(t, now, "cannot poll: " + e.getMessage());
                    continue;
                }
                s = new TargetState(t, p);
                // spread first polls over the interval so 1,000 targets do not all poll in the same second
                s.nextPoll = now + Math.floorMod(t.id().hashCode(), Math.max(1, settings.interval().toMillis()));
                s.nextPing = now;
                states.put(t.id(), s);
            }
        }
        for (var it = states.entrySet().iterator(); it.hasNext(); ) {
            TargetState s = it.next().getValue();
            if (!seen.contains(s.target.id())) {
                it.remove();
                cancel(s);
                sink.accept(Poller.sample(s.target, Instant.ofEpochMilli(now), "inventory", null, Map.of("removed", 1.0)));
                samples.incrementAndGet();
                continue;
            }
            schedule(s, now);
        }
    }

    private void schedule(TargetState s, long now) {
        long deadline = settings.deadline().toMillis();
        // the deadline runs from when the work began, not from when it was queued: a busy collector is not a dead server
        if (s.ping != null && !s.ping.isDone() && s.pingStarted > 0 && now - s.pingStarted > deadline) {
            overran.incrementAndGet();
            emitDown(s.target, now, "liveness check timed out after " + deadline + " ms");
            cancel(s);
        }
        if (s.poll != null && !s.poll.isDone() && s.pollStarted > 0 && now - s.pollStarted > deadline) {
            overran.incrementAndGet();
            emitScrapeError(s.target, now, "poll timed out after " + deadline + " ms");
            cancel(s);
        }
        if ((s.ping == null || s.ping.isDone()) && now >= s.nextPing) {
            s.nextPing = now + settings.liveness().toMillis();
            s.pingStarted = 0;
            s.ping = checkers.submit(() -> ping(s));
        }
        if ((s.poll == null || s.poll.isDone()) && now >= s.nextPoll) {
            long interval = (s.target.interval() != null ? s.target.interval() : settings.interval()).toMillis();
            s.nextPoll = Math.max(s.nextPoll + interval, now);
            s.pollStarted = 0;
            s.poll = workers.submit(() -> poll(s));
        }
    }

    private void cancel(TargetState s) {
        // aborting the connections makes a blocked call return at once
        s.poller.close();
        if (s.ping != null) {
            s.ping.cancel(true);
        }
        if (s.poll != null) {
            s.poll.cancel(true);
        }
    }

    private void ping(TargetState s) {
        s.pingStarted = clock.millis();
        long start = System.nanoTime();
        Instant at = Instant.ofEpochMilli(clock.millis());
        try {
            s.poller.ping();
            Map<String, Double> f = new HashMap<>();
            f.put("up", 1.0);
            f.put("ping_ms", (System.nanoTime() - start) / 1e6);
            sink.accept(Poller.sample(s.target, at, "up", null, f));
            samples.incrementAndGet();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                failures.incrementAndGet();
                emitDown(s.target, at.toEpochMilli(), describe(e));
            }
        }
    }

    private void poll(TargetState s) {
        s.pollStarted = clock.millis();
        Instant at = Instant.ofEpochMilli(clock.millis());
        try {
            List<MetricSample> out = s.poller.poll(at);
            polls.incrementAndGet();
            for (MetricSample m : out) {
                sink.accept(m);
            }
            samples.addAndGet(out.size());
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                failures.incrementAndGet();
                emitScrapeError(s.target, at.toEpochMilli(), describe(e));
            }
        }
    }

    private String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) {
            m = m + ": " + cause.getMessage();
        }
        return redact.apply(m.replaceAll("\\s+", " ").trim());
    }

    private void emitDown(MetricsTarget t, long at, String error) {
        sink.accept(new MetricSample(MetricSample.SCHEMA, Instant.ofEpochMilli(at), t.instance(), "up", null, Map.of("up", 0.0), error));
        samples.incrementAndGet();
    }

    /**
     * A full poll failed or overran: {@code scrape} with {@code error} 1 and the text. Whether the instance is up is the
     * liveness check's word alone (a poll of many statements can fail on one of them, or run late on a busy collector, while
     * the server answers): a failed poll never raises a down alarm by itself.
     */
    private void emitScrapeError(MetricsTarget t, long at, String error) {
        sink.accept(new MetricSample(MetricSample.SCHEMA, Instant.ofEpochMilli(at), t.instance(), "scrape", null, Map.of("error", 1.0), error));
        samples.incrementAndGet();
    }

    public synchronized int targetCount() {
        return states.size();
    }

    public long polls() {
        return polls.get();
    }

    public long failures() {
        return failures.get();
    }

    public long samples() {
        return samples.get();
    }

    /** Polls or checks abandoned at their deadline. */
    public long overran() {
        return overran.get();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        for (TargetState s : states.values()) {
            cancel(s);
        }
        states.clear();
        workers.shutdownNow();
        checkers.shutdownNow();
    }
}
