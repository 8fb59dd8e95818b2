package io.dbops.actions.run;

/** What undoes a step: a description recorded before the step runs, and the action itself. */
public record Compensation(String description, Action action) {
    @FunctionalInterface
    public interface Action {
        void run(StepContext ctx) throws Exception;
    }
}
