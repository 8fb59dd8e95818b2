package io.dbops.actions.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The remediation rules as admins last saved them (table {@code action_policies}). While a row
 * exists it replaces the action service's rules file; the service reloads it when it changes.
 */
public final class PolicyStore {
    public static final String REMEDIATION_RULES = "remediation_rules";
    private final DataSource ds;

    public PolicyStore(DataSource ds) {
        this.ds = ds;
    }

    public record Stored(String yaml, String updatedBy, Instant updatedAt) {
    }

    public Optional<Stored> remediationRules() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT yaml, updated_by, updated_at FROM action_policies WHERE name = ?")) {
            ps.setString(1, REMEDIATION_RULES);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())) : Optional.empty();
            }
        }
    }

    /** Saves rules already checked by {@link RemediationRules#parse}. */
    public void saveRemediationRules(String yaml, String user) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO action_policies (name, yaml, updated_by) VALUES (?, ?, ?) "
                     + "ON DUPLICATE KEY UPDATE yaml = VALUES(yaml), updated_by = VALUES(updated_by), updated_at = CURRENT_TIMESTAMP(3)")) {
            ps.setString(1, REMEDIATION_RULES);
            ps.setString(2, yaml);
            ps.setString(3, user);
            ps.executeUpdate();
        }
    }
}
