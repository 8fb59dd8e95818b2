package io.dbops.cdc;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No silent gap: a replication set whose binlog cannot be captured (the server refuses, the
 * position is gone, the connector stopped) raises a critical {@code binlog_capture_failed} alarm
 * with the reason, once, and resolves it when changes flow again.
 */
public final class CaptureAlarms {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureAlarms.class);

    /** Publishes an alarm durably. */
    public interface Publisher {
        void publish(Alarm a) throws Exception;
    }

    private final Publisher publisher;
    private final Map<String, Instant> firing = new ConcurrentHashMap<>();

    public CaptureAlarms(Publisher publisher) {
        this.publisher = publisher;
    }

    public void failed(String set, InstanceRef on, String reason) {
        if (firing.containsKey(set)) {
            return;
        }
        Instant now = Instant.now();
        String summary = "binlog capture of " + set + " on " + on.id() + " stopped, changes are not captured: "
                + (reason == null ? "unknown" : reason.length() > 400 ? reason.substring(0, 400) + "..." : reason);
        if (send(new Alarm(Alarm.SCHEMA, now, id(set), AlarmStatus.FIRING, "binlog_capture_failed", Severity.CRITICAL, on, on.host(),
                "binlog-collector", summary, null, null, Map.of("set", set), now, null))) {
            firing.put(set, now);
        }
    }

    public void recovered(String set, InstanceRef on) {
        Instant since = firing.get(set);
        if (since == null) {
            return;
        }
        Instant now = Instant.now();
        if (send(new Alarm(Alarm.SCHEMA, now, id(set), AlarmStatus.RESOLVED, "binlog_capture_failed", Severity.CRITICAL, on, on.host(),
                "binlog-collector", "binlog capture of " + set + " runs again on " + on.id(), null, null, Map.of("set", set), since, now))) {
            firing.remove(set);
        }
    }

    private static String id(String set) {
        return "binlog-capture:" + set;
    }

    private boolean send(Alarm a) {
        try {
            publisher.publish(a);
            return true;
        } catch (Exception e) {
            LOG.warn("cannot publish the alarm {} (tried again): {}", a.id(), e.toString());
            return false;
        }
    }
}
