package io.dbops.actions.run;

import io.dbops.actions.Fleet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step sees: the run (parameters, dry-run flag, approval), the facts earlier steps decided
 * (a step's new facts are saved with its completion), the fleet, and its log.
 */
public final class StepContext {
    /** Where a step's lines go: the run's event stream (stored and published). */
    public interface Log {
        void line(String stream, String message);
    }

    private final Run run;
    private final Map<String, String> facts;
    private final Fleet fleet;
    private final Log log;

    public StepContext(Run run, Map<String, String> facts, Fleet fleet, Log log) {
        this.run = run;
        this.facts = new LinkedHashMap<>(facts);
        this.fleet = fleet;
        this.log = log;
    }

    public Run run() {
        return run;
    }

    public boolean dryRun() {
        return run.dryRun();
    }

    public Fleet fleet() {
        return fleet;
    }

    /** A parameter, or null. */
    public String param(String name) {
        return run.params().get(name);
    }

    public String param(String name, String fallback) {
        return run.params().getOrDefault(name, fallback);
    }

    /** A fact an earlier step recorded, or null. */
    public String fact(String name) {
        return facts.get(name);
    }

    /** A fact an earlier step must have recorded; a missing one is a bug in the playbook, not retryable. */
    public String requireFact(String name) throws StepFailure {
        String v = facts.get(name);
        if (v == null) {
            throw StepFailure.fatal("fact '" + name + "' was not recorded by an earlier step");
        }
        return v;
    }

    public void putFact(String name, String value) {
        facts.put(name, value);
    }

    public Map<String, String> facts() {
        return facts;
    }

    public void out(String line) {
        log.line("stdout", line);
    }

    public void err(String line) {
        log.line("stderr", line);
    }
}
