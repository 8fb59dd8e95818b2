package io.dbops.actions.playbooks;

import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.RetryPolicy;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.StepFailure;
import io.dbops.actions.run.Steps;
import io.dbops.actions.steps.MongoStep;
import io.dbops.events.Engine;
import io.dbops.metadata.InventoryInstance;
import java.time.Duration;
import java.util.List;
import org.bson.Document;

/**
 * Planned primary change of a MongoDB replica set: checks the instance is the primary and that a
 * secondary is close enough, then {@code replSetStepDown} (the set elects another primary; the
 * old one refuses to be re-elected for {@code seconds}).
 */
public final class MongoStepDown extends NamedPlaybook {
    public static final String NAME = "mongo_step_down";

    public MongoStepDown() {
        super(NAME, "step a MongoDB primary down for maintenance (the replica set elects another)", true);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("instance", Param.Type.INSTANCE, "the current primary"),
                Param.optional("seconds", Param.Type.INT, "how long it may not be re-elected (default 60)"));
    }

    @Override
    public List<Step> steps() {
        return List.of(
                Steps.named("check").readOnly().timeout(Duration.ofSeconds(30))
                        .describe(ctx -> "check that " + ctx.param("instance") + " is a replica set primary")
                        .does(ctx -> {
                            InventoryInstance i = MariaDbFailover.instance(ctx.fleet(), ctx.param("instance"));
                            if (i.engine() != Engine.MONGO) {
                                throw StepFailure.fatal(i.id() + " is not a MongoDB instance");
                            }
                            Document hello = MongoStep.command(ctx, i, "admin", new Document("hello", 1));
                            if (!Boolean.TRUE.equals(hello.get("isWritablePrimary")) && !Boolean.TRUE.equals(hello.get("ismaster"))) {
                                throw StepFailure.fatal(i.id() + " is not the primary (hello says " + hello.get("isWritablePrimary") + ")");
                            }
                        }),
                Steps.named("step_down").timeout(Duration.ofSeconds(120))
                        .retry(RetryPolicy.attempts(3, Duration.ofSeconds(2), "a server that is no longer primary"))
                        .describe(ctx -> "replSetStepDown " + ctx.param("seconds", "60") + " on " + ctx.param("instance"))
                        .does(ctx -> MongoStep.command(ctx, MariaDbFailover.instance(ctx.fleet(), ctx.param("instance")), "admin",
                                new Document("replSetStepDown", Integer.parseInt(ctx.param("seconds", "60"))))));
    }
}
