package io.dbops.actions.playbooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbops.actions.run.NamedPlaybook;
import io.dbops.actions.run.Param;
import io.dbops.actions.run.RetryPolicy;
import io.dbops.actions.run.Step;
import io.dbops.actions.run.Steps;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells people: a JSON POST to a webhook (chat, paging, a ticket system) with the message, the
 * run, and the incident or request behind it. For rules whose answer is a person, not a change.
 */
public final class Notify extends NamedPlaybook {
    public static final String NAME = "notify";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Notify() {
        super(NAME, "post a message to a webhook (chat, paging, tickets)", false);
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.required("url", Param.Type.STRING, "the webhook (http or https)"),
                Param.required("message", Param.Type.STRING, "what to say; {instance}, {cluster}, {incident} are filled in by rules"));
    }

    @Override
    public List<Step> steps() {
        return List.of(Steps.named("post").timeout(Duration.ofSeconds(30))
                .retry(RetryPolicy.attempts(3, Duration.ofSeconds(2), "nothing: a repeated message is better than a lost one"))
                .describe(ctx -> "POST to " + java.net.URI.create(ctx.param("url")).getHost())
                .does(ctx -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("text", ctx.param("message"));
                    body.put("run", ctx.run().id());
                    body.put("incident", ctx.run().incidentId());
                    body.put("request", ctx.run().requestId());
                    body.put("target", ctx.run().target());
                    io.dbops.actions.steps.Webhook.post(ctx, ctx.param("url"), JSON.writeValueAsString(body));
                }));
    }
}
