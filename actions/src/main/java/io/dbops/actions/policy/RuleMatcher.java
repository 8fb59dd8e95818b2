package io.dbops.actions.policy;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Incident;
import io.dbops.events.InstanceRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which rules an incident fires, and on which targets. A rule applies to each firing member alarm
 * whose type and instance pass its filters (roles are read from the inventory now, not from the
 * alarm); one trigger per rule and cluster (or instance when it has none), with the dedupe key
 * {@code incident:ID:PLAYBOOK:CLUSTER} so a redelivered or updated incident starts nothing new.
 */
public final class RuleMatcher {
    /** A rule fired on a target, with its parameters filled in. */
    public record Trigger(RemediationRules.Rule rule, InstanceRef target, Map<String, String> params, String dedupeKey) {
    }

    private RuleMatcher() {
    }

    public static List<Trigger> match(RemediationRules rules, Incident incident, List<Alarm> members, Function<String, String> roleOf) {
        List<Trigger> out = new ArrayList<>();
        for (RemediationRules.Rule rule : rules.rules()) {
            RemediationRules.Match m = rule.match();
            if (!m.incidentKinds().isEmpty() && (incident.kind() == null || !m.incidentKinds().contains(incident.kind()))) {
                continue;
            }
            if (!labelsMatch(m.labels(), incident.labels())) {
                continue;
            }
            Set<String> scopes = new LinkedHashSet<>();
            for (Alarm a : ordered(members, incident.rootCauseAlarmId())) {
                if (a.status() != AlarmStatus.FIRING || a.instance() == null) {
                    continue;
                }
                if (!m.alarmTypes().isEmpty() && !m.alarmTypes().contains(a.type())) {
                    continue;
                }
                if (m.alarmTypes().isEmpty() && !a.id().equals(incident.rootCauseAlarmId())) {
                    continue; // a kind-only rule acts on the root cause
                }
                InstanceRef i = a.instance();
                if (!in(m.engines(), i.engine().name().toLowerCase()) || !in(m.clusters(), i.cluster())
                        || !in(m.businessLines(), i.businessLine()) || (!m.roles().isEmpty() && !m.roles().contains(roleOf.apply(i.id())))) {
                    continue;
                }
                String scope = i.cluster() != null ? i.cluster() : i.id();
                if (!scopes.add(scope)) {
                    continue;
                }
                out.add(new Trigger(rule, i, fill(rule.params(), i, incident),
                        "incident:" + incident.id() + ":" + rule.playbook() + ":" + scope));
            }
        }
        return out;
    }

    /** The root cause first, then the others in their order: the root cause names the target when several qualify. */
    private static List<Alarm> ordered(List<Alarm> members, String rootId) {
        List<Alarm> out = new ArrayList<>();
        for (Alarm a : members) {
            if (a.id().equals(rootId)) {
                out.add(0, a);
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean in(Set<String> allowed, String value) {
        return allowed.isEmpty() || (value != null && allowed.contains(value));
    }

    private static boolean labelsMatch(Map<String, String> wanted, Map<String, String> have) {
        for (var e : wanted.entrySet()) {
            if (have == null || !e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> fill(Map<String, String> params, InstanceRef i, Incident incident) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.replace("{instance}", i.id()).replace("{cluster}", i.cluster() == null ? "" : i.cluster())
                .replace("{host}", i.host()).replace("{incident}", incident.id())));
        return out;
    }
}
