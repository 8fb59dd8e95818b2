package io.dbops.actions.run;

import java.time.Duration;
import java.util.function.Function;

/** Builds a step from its parts, for playbooks written as a list of small actions. */
public final class Steps {
    /** The body of a step. */
    @FunctionalInterface
    public interface Body {
        void execute(StepContext ctx) throws Exception;
    }

    private Steps() {
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private Function<StepContext, String> describe;
        private Duration timeout = Duration.ofSeconds(60);
        private RetryPolicy retry = RetryPolicy.NONE;
        private boolean readOnly;
        private Function<StepContext, Compensation> compensation = ctx -> null;

        private Builder(String name) {
            this.name = name;
            this.describe = ctx -> name;
        }

        public Builder describe(Function<StepContext, String> describe) {
            this.describe = describe;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        /** The step only looks: it also runs in a dry run. */
        public Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        public Builder compensation(Function<StepContext, Compensation> compensation) {
            this.compensation = compensation;
            return this;
        }

        public Step does(Body body) {
            Function<StepContext, String> d = describe;
            Duration t = timeout;
            RetryPolicy r = retry;
            boolean ro = readOnly;
            Function<StepContext, Compensation> comp = compensation;
            return new Step() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String describe(StepContext ctx) {
                    return d.apply(ctx);
                }

                @Override
                public Duration timeout() {
                    return t;
                }

                @Override
                public RetryPolicy retry() {
                    return r;
                }

                @Override
                public boolean readOnly() {
                    return ro;
                }

                @Override
                public Compensation compensation(StepContext ctx) {
                    return comp.apply(ctx);
                }

                @Override
                public void execute(StepContext ctx) throws Exception {
                    body.execute(ctx);
                }
            };
        }
    }
}
