package io.dbops.stack;

import java.util.List;

/** The local stack cannot do what was asked; the message lists every problem found, one per line. */
public final class StackException extends RuntimeException {
    private final List<String> problems;

    public StackException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public StackException(String problem) {
        this(List.of(problem));
    }

    public StackException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    public List<String> problems() {
        return problems;
    }
}
