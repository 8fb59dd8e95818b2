package io.dbops.dashboard.auth;

import java.util.Locale;
import java.util.Set;

/**
 * Who is asking, and what they may see: a developer only their business lines, a DBA and an admin
 * everything. Every page, API call and live stream asks this object, on the server.
 */
public record Principal(String name, Role role, Set<String> businessLines) {

    public enum Role {
        DEVELOPER, DBA, ADMIN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    public Principal {
        businessLines = businessLines == null ? Set.of() : Set.copyOf(businessLines);
    }

    public boolean seesAll() {
        return role != Role.DEVELOPER;
    }

    /** Whether this user may see (and, for developers, request for) what belongs to {@code businessLine}. */
    public boolean canSee(String businessLine) {
        return seesAll() || (businessLine != null && businessLines.contains(businessLine));
    }

    /** Whether any of {@code lines} is visible (incidents span several business lines). */
    public boolean canSeeAny(java.util.Collection<String> lines) {
        if (seesAll()) {
            return true;
        }
        return lines != null && lines.stream().anyMatch(businessLines::contains);
    }

    /** DBAs and admins approve runs, acknowledge, silence and see the audit log. */
    public boolean isDba() {
        return role == Role.DBA || role == Role.ADMIN;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
