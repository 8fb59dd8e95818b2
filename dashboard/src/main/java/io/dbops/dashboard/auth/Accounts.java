package io.dbops.dashboard.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Users of the dashboard and the API (table {@code users}, shared with the action service, which
 * asks it who may approve), their password hashes and API tokens. Passwords and tokens are never
 * stored or logged in clear: a token is shown once when it is created and only its SHA-256 is kept.
 */
public final class Accounts {
    public static final String TOKEN_PREFIX = "dbops_";
    private final DataSource ds;

    public Accounts(DataSource ds) {
        this.ds = ds;
    }

    /** A user as the admin page lists it. */
    public record User(String name, Principal.Role role, Set<String> businessLines, boolean canSignIn, boolean disabled) {
    }

    /** The user if the password matches and the account is enabled; the same time is spent for unknown users. */
    public Optional<Principal> authenticate(String name, String password) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, role, business_lines, password_hash, disabled FROM users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    PasswordHash.burn(password);
                    return Optional.empty();
                }
                boolean ok = PasswordHash.verify(password, rs.getString(4));
                return ok && !rs.getBoolean(5) ? Optional.of(principal(rs)) : Optional.empty();
            }
        }
    }

    public Optional<Principal> principal(String name) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, role, business_lines FROM users WHERE name = ? AND NOT disabled")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(principal(rs)) : Optional.empty();
            }
        }
    }

    /** The user an API token belongs to (Authorization: Bearer dbops_...). */
    public Optional<Principal> byToken(String token) throws SQLException {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        String sha = PasswordHash.sha256Hex(token);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT u.name, u.role, u.business_lines FROM api_tokens t JOIN users u ON u.name = t.user_name "
                     + "WHERE t.token_sha256 = ? AND NOT u.disabled")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(principal(rs)) : Optional.empty();
            }
        }
    }

    /** Creates a token for {@code user}; the returned value is the only time it is seen in clear. */
    public String createToken(String user, String label) throws SQLException {
        String token = TOKEN_PREFIX + PasswordHash.randomToken(32);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (token_sha256, user_name, label) VALUES (?, ?, ?)")) {
            ps.setString(1, PasswordHash.sha256Hex(token));
            ps.setString(2, user);
            ps.setString(3, label);
            ps.executeUpdate();
        }
        return token;
    }

    /** Creates or updates a user; a null password leaves the current one. */
    public void save(String name, Principal.Role role, Set<String> businessLines, String password) throws SQLException {
        String lines = businessLines == null || businessLines.isEmpty() ? null : String.join(",", businessLines);
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (name, role, business_lines, password_hash) VALUES (?, ?, ?, ?) "
                    + "ON DUPLICATE KEY UPDATE role = VALUES(role), business_lines = VALUES(business_lines), "
                    + "password_hash = COALESCE(VALUES(password_hash), password_hash)")) {
                ps.setString(1, name);
                ps.setString(2, role.label());
                ps.setString(3, lines);
                ps.setString(4, password == null ? null : PasswordHash.hash(password));
                ps.executeUpdate();
            }
        }
    }

    public void setDisabled(String name, boolean disabled) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE users SET disabled = ? WHERE name = ?")) {
            ps.setBoolean(1, disabled);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    public List<User> list() throws SQLException {
        List<User> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, role, business_lines, password_hash IS NOT NULL, disabled FROM users ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Principal p = principal(rs);
                out.add(new User(p.name(), p.role(), p.businessLines(), rs.getBoolean(4), rs.getBoolean(5)));
            }
        }
        return out;
    }

    /**
     * First start: when nobody can sign in yet, creates {@code admin}, a developer {@code dev} (business
     * line {@code devLine}) and a DBA {@code dba}, with random passwords, and returns them (name to
     * password) for the caller to print once. Returns an empty map otherwise.
     */
    public Map<String, String> seedIfEmpty(String devLine) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users WHERE password_hash IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return Map.of();
            }
        }
        Map<String, String> created = new LinkedHashMap<>();
        for (var u : List.of(Map.entry("admin", Principal.Role.ADMIN), Map.entry("dba", Principal.Role.DBA), Map.entry("dev", Principal.Role.DEVELOPER))) {
            String pw = PasswordHash.randomToken(12);
            save(u.getKey(), u.getValue(), u.getValue() == Principal.Role.DEVELOPER ? Set.of(devLine) : Set.of(), pw);
            created.put(u.getKey(), pw);
        }
        return created;
    }

    private static Principal principal(ResultSet rs) throws SQLException {
        String lines = rs.getString(3);
        Set<String> set = lines == null || lines.isBlank() ? Set.of()
                : new LinkedHashSet<>(Arrays.stream(lines.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        return new Principal(rs.getString(1), Principal.Role.parse(rs.getString(2)), set);
    }
}
