package io.dbops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.dashboard.web.AlarmGroup;
import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PagesTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private static Alarm alarm(String id, String instance, String host, int second) {
        InstanceRef ref = instance == null ? null : new InstanceRef(instance, Engine.MARIADB, "c", host, 3306, "pay");
        return new Alarm(Alarm.SCHEMA, T.plusSeconds(second), id, AlarmStatus.FIRING, "t-" + id, Severity.CRITICAL, ref,
                instance == null ? host : null, "rule", "summary " + id, null, null, null, T.plusSeconds(second), null);
    }

    @Test
    void theRootCauseGroupComesFirstWithTheRootCauseOnTop() {
        List<Alarm> members = List.of(alarm("a1", "db-1", "h1", 5), alarm("a2", "db-2", "h2", 1), alarm("a3", null, "h2", 3),
                alarm("a4", "db-3", "h2", 2));
        Incident inc = new Incident(Incident.SCHEMA, T, "inc-1", IncidentStatus.OPEN, "host", "h2 down", Severity.CRITICAL, "a3",
                List.of("a1", "a2", "a3", "a4"), List.of(), List.of("h1", "h2"), List.of("pay"), null, T, null);
        List<AlarmGroup> groups = Pages.groups(inc, members);
        assertThat(groups).extracting(AlarmGroup::title).containsExactly("host h2 (3)", "host h1 (1)");
        assertThat(groups.get(0).alarms()).extracting(Alarm::id).containsExactly("a3", "a2", "a4");
    }
}
