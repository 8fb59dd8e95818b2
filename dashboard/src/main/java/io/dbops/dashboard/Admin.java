package io.dbops.dashboard;

import static io.dbops.dashboard.DashboardApp.requireAdmin;
import static io.dbops.dashboard.DashboardApp.requireDba;
import static io.dbops.dashboard.DashboardApp.who;

import io.dbops.actions.ActionService;
import io.dbops.actions.policy.PolicyStore;
import io.dbops.actions.policy.RemediationRules;
import io.dbops.dashboard.web.Input;
import io.dbops.dashboard.web.InvalidInput;
import io.dbops.events.RuleUpdate;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.rules.RulePack;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What admins change: alarm rule packs (checked, then published on {@code dbops.rules}, which
 * the metrics job applies without a restart) and the playbook policies (the action service's
 * remediation rules, checked, then saved; the service reloads them within seconds). DBAs may
 * read both. Every change is audited.
 */
final class Admin {
    static final int MAX_YAML = 60_000;
    private final DashboardApp app;

    Admin(DashboardApp app) {
        this.app = app;
    }

    void routes(RoutesConfig r) {
        r.get("/api/rules", ctx -> {
            requireDba(ctx);
            ctx.json(app.services().live().rulePacks());
        });
        r.post("/api/rules", this::publishRules);
        r.get("/api/policies", ctx -> {
            requireDba(ctx);
            ctx.json(policies());
        });
        r.post("/api/policies", this::savePolicies);
        r.get("/admin/rules", ctx -> {
            requireDba(ctx);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("page", app.page(ctx, "Alarm rule packs", "rules"));
            m.put("packs", app.services().live().rulePacks());
            app.render(ctx, "rules.jte", m);
        });
        r.get("/admin/policies", ctx -> {
            requireDba(ctx);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("page", app.page(ctx, "Playbook policies", "policies"));
            m.put("policy", policies());
            app.render(ctx, "policies.jte", m);
        });
    }

    private void publishRules(Context ctx) throws Exception {
        requireAdmin(ctx);
        Input in = Api.input(ctx);
        String yaml = in.text("yaml", true, MAX_YAML, null, null);
        in.check();
        RulePack pack;
        try {
            pack = RulePack.parse("the submitted pack", yaml);
        } catch (RulePack.InvalidRulePackException e) {
            throw InvalidInput.of("yaml", e.getMessage());
        }
        app.services().publisher().publish(Topic.RULES, pack.name(), new RuleUpdate(RuleUpdate.SCHEMA, Instant.now(), pack.name(), yaml,
                who(ctx).name()));
        app.audit().record(who(ctx).name(), "rules_published", "pack " + pack.name(), null, pack.rules().size() + " rules", ctx.ip());
        ctx.status(202).json(Map.of("pack", pack.name(), "rules", pack.rules().size(),
                "message", "published; the metrics job applies it without a restart"));
    }

    /** The remediation rules in force: the saved ones, or the action service's built-in default. */
    private Map<String, Object> policies() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        var stored = new PolicyStore(app.services().db()).remediationRules();
        if (stored.isPresent()) {
            out.put("yaml", stored.get().yaml());
            out.put("updated_by", stored.get().updatedBy());
            out.put("updated_at", stored.get().updatedAt().toString());
        } else {
            try (InputStream def = ActionService.class.getResourceAsStream("/actions/default-rules.yaml")) {
                out.put("yaml", new String(def.readAllBytes(), StandardCharsets.UTF_8));
            }
            out.put("updated_by", null);
            out.put("source", "built-in default (or the action service's rules.file)");
        }
        return out;
    }

    private void savePolicies(Context ctx) throws Exception {
        requireAdmin(ctx);
        Input in = Api.input(ctx);
        String yaml = in.text("yaml", true, MAX_YAML, null, null);
        in.check();
        RemediationRules rules;
        try {
            rules = RemediationRules.parse("the submitted rules", yaml, ActionService.builtInPlaybooks());
        } catch (RemediationRules.RulesException e) {
            throw InvalidInput.of("yaml", String.join("; ", e.problems()));
        }
        new PolicyStore(app.services().db()).saveRemediationRules(yaml, who(ctx).name());
        app.audit().record(who(ctx).name(), "policies_saved", "remediation rules", null, rules.rules().size() + " rules", ctx.ip());
        ctx.status(201).json(Map.of("rules", rules.rules().size(), "message", "saved; the action service applies them within seconds"));
    }
}
