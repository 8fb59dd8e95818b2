package io.dbops.actions.run;

import io.dbops.events.RunState;
import java.time.Instant;

/** One step of a run as recorded: its state, attempts, registered compensation, output and error. */
public record StepRecord(String runId, int index, String name, RunState state, int attempts, String compensation,
                         String output, String error, Instant startedAt, Instant endedAt) {
}
