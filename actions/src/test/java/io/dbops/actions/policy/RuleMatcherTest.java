package io.dbops.actions.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.actions.ActionService;
import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.Incident;
import io.dbops.events.IncidentStatus;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleMatcherTest {
    static final String RULES = """
            rules:
              - name: primary-dead
                match: {alarm_types: [mysql_down], engines: [mariadb], roles: [primary]}
                playbook: mariadb_failover
                params: {primary: "{instance}"}
                policy: auto
              - name: redis-dead
                match: {alarm_types: [redis_down], business_lines: [shop]}
                playbook: redis_failover
                params: {master: "{instance}"}
                policy: approval
              - name: storm-notify
                match: {incident_kinds: [storm], labels: {dc: dc-1}}
                playbook: kill_query
                params: {instance: "{instance}"}
                policy: notify
            """;
    static final Map<String, String> ROLES = Map.of("db-1", "primary", "db-2", "replica", "db-3", "primary", "r-1", "primary");

    static InstanceRef mariadb(String id, String cluster) {
        return new InstanceRef(id, Engine.MARIADB, cluster, "host-" + id, 3306, "shop");
    }

    static Alarm alarm(String id, String type, InstanceRef i, AlarmStatus status) {
        return new Alarm(1, Instant.EPOCH, id, status, type, Severity.CRITICAL, i, i.host(), type, type + " on " + i.id(), null, null,
                Map.of(), Instant.EPOCH, null);
    }

    static Incident incident(String id, String kind, String root, List<Alarm> members, Map<String, String> labels) {
        return new Incident(1, Instant.EPOCH, id, IncidentStatus.OPEN, kind, "t", Severity.CRITICAL, root,
                members.stream().map(Alarm::id).toList(), List.of(), List.of(), List.of(), labels, Instant.EPOCH, null);
    }

    @Test
    void aDeadPrimaryFiresItsClustersFailoverOnceWhateverElseBroke() throws Exception {
        RemediationRules rules = RemediationRules.parse("t", RULES, ActionService.builtInPlaybooks());
        List<Alarm> members = List.of(
                alarm("a1", "replication_broken", mariadb("db-2", "c1"), AlarmStatus.FIRING),
                alarm("a2", "mysql_down", mariadb("db-1", "c1"), AlarmStatus.FIRING),
                alarm("a3", "mysql_down", mariadb("db-2", "c1"), AlarmStatus.FIRING),      // a replica: role filter
                alarm("a4", "mysql_down", mariadb("db-3", "c2"), AlarmStatus.RESOLVED),    // resolved: ignored
                alarm("a5", "mysql_down", mariadb("db-1", "c1"), AlarmStatus.FIRING));     // same cluster again
        var triggers = RuleMatcher.match(rules, incident("inc-1", "host_down", "a1", members, Map.of()), members, ROLES::get);
        assertThat(triggers).hasSize(1);
        assertThat(triggers.get(0).params()).containsEntry("primary", "db-1");
        assertThat(triggers.get(0).dedupeKey()).isEqualTo("incident:inc-1:mariadb_failover:c1");
    }

    @Test
    void filtersOnEngineBusinessLineKindAndLabels() throws Exception {
        RemediationRules rules = RemediationRules.parse("t", RULES, ActionService.builtInPlaybooks());
        InstanceRef redis = new InstanceRef("r-1", Engine.REDIS, "rc", "h", 6379, "ads");
        List<Alarm> members = List.of(alarm("b1", "redis_down", redis, AlarmStatus.FIRING));
        assertThat(RuleMatcher.match(rules, incident("i", null, "b1", members, Map.of()), members, ROLES::get)).isEmpty();

        List<Alarm> storm = List.of(alarm("s1", "threads_running_high", mariadb("db-3", "c2"), AlarmStatus.FIRING),
                alarm("s2", "qps_drop", mariadb("db-1", "c1"), AlarmStatus.FIRING));
        assertThat(RuleMatcher.match(rules, incident("i2", "storm", "s2", storm, Map.of("dc", "dc-2")), storm, ROLES::get)).isEmpty();
        var t = RuleMatcher.match(rules, incident("i2", "storm", "s2", storm, Map.of("dc", "dc-1")), storm, ROLES::get);
        assertThat(t).singleElement().satisfies(x -> {
            assertThat(x.params()).containsEntry("instance", "db-1"); // a kind-only rule acts on the root cause
            assertThat(x.rule().policy()).isEqualTo(RemediationRules.Policy.NOTIFY);
        });
    }
}
