package io.dbops.actions.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dbops.actions.ActionService;
import io.dbops.actions.ActionServiceMain;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemediationRulesTest {

    @Test
    void theShippedRulesAreValid() throws Exception {
        RemediationRules rules = ActionServiceMain.rules(null, ActionService.builtInPlaybooks());
        assertThat(rules.rules()).extracting(RemediationRules.Rule::playbook).contains("mariadb_failover", "redis_failover");
        assertThat(rules.settings().flapBlock()).isEqualTo(Duration.ofHours(1));
        assertThat(rules.settings().rateLimitRuns()).isEqualTo(3);
    }

    @Test
    void everyProblemIsListedAtOnce() {
        String yaml = """
                settings:
                  flap_block: soon
                  rate_limit: lots
                  colour: red
                rules:
                  - name: a
                    match: {alarm_types: [mysql_down], engines: [oracle]}
                    playbook: mariadb_failover
                    params: {primary: "{instance}", candidate: "{replica}", speed: fast}
                    policy: sometimes
                  - name: a
                    match: {}
                    playbook: make_coffee
                    policy: auto
                    dry_run: maybe
                  - match: {alarm_types: [x]}
                    playbook: kill_query
                    params: {instance: "{instance}", min_seconds: "a minute"}
                    policy: notify
                    extra: 1
                """;
        RemediationRules.RulesException e = catchThrowableOfType(
                () -> RemediationRules.parse("rules.yaml", yaml, ActionService.builtInPlaybooks()), RemediationRules.RulesException.class);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "settings.colour: unknown key (known: flap_block, rate_limit)",
                "settings.flap_block: must be a duration such as 30m or 1h, got 'soon'",
                "settings.rate_limit: must be 'N per DURATION' such as '3 per 1h', got 'lots'",
                "rules[0] (a).policy: must be auto, approval or notify, got 'sometimes'",
                "rules[0] (a).params: parameter 'speed' is unknown (known: primary, candidate, relay_timeout)",
                "rules[0] (a).params.candidate: unknown placeholder {replica} (known: {cluster}, {host}, {incident}, {instance})",
                "rules[0] (a).match.engines: unknown engine 'oracle' (known: mariadb, mongo, mysql, redis)",
                "rules[1] (a).playbook: unknown playbook 'make_coffee' (known: mariadb_failover, mariadb_switchover, mariadb_rejoin, "
                        + "redis_failover, kill_query, purge_binlogs, mariadb_provision, redis_provision, mongo_step_down, notify, mariadb_backup, mariadb_backup_verify, redis_backup)",
                "rules[1] (a).match: needs alarm_types or incident_kinds (a rule matching every incident is refused)",
                "rules[1] (a).dry_run: must be true or false",
                "rules[1].name: 'a' is used twice",
                "rules[2].extra: unknown key (known: dry_run, match, name, params, playbook, policy)",
                "rules[2].name: required",
                "rules[2] (rules[2]).params: parameter 'min_seconds' must be a whole number, got 'a minute'");
        assertThat(e.getMessage()).startsWith("rules.yaml: 14 problem(s):");
    }

    @Test
    void notYaml() {
        RemediationRules.RulesException e = catchThrowableOfType(
                () -> RemediationRules.parse("r.yaml", "rules: [", ActionService.builtInPlaybooks()), RemediationRules.RulesException.class);
        assertThat(e.problems()).hasSize(1).first().asString().startsWith("not valid YAML");
    }
}
