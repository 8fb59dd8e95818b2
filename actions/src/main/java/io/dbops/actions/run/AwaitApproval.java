package io.dbops.actions.run;

/** Thrown by a step that needs a person's approval first: the run waits, its lease released, until approved or rejected. */
public final class AwaitApproval extends Exception {
    public AwaitApproval(String message) {
        super(message);
    }
}
