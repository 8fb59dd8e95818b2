package io.dbops.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The protected tables ({@code protected_tables}): the binlog job alarms on every write to one. */
public final class ProtectedTableStore {
    private final DataSource dataSource;

    public ProtectedTableStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One protection: a set or an instance (or neither: everywhere), database and table patterns (* and ?), why, who. */
    public record Entry(long id, String cluster, String instance, String database, String table, String reason, String createdBy) {
    }

    public List<Entry> list() throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, cluster, instance, db_pattern, table_pattern, reason, created_by "
                     + "FROM protected_tables ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7)));
            }
        }
        return out;
    }

    /** Adds a protection (the same one again changes only its reason); returns its id. */
    public long add(String cluster, String instance, String database, String table, String reason, String by) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO protected_tables (cluster, instance, db_pattern, table_pattern, reason, "
                     + "created_by) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE reason = VALUES(reason), id = LAST_INSERT_ID(id)",
                     java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, cluster);
            ps.setString(2, instance);
            ps.setString(3, database);
            ps.setString(4, table);
            ps.setString(5, reason);
            ps.setString(6, by);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Removes a protection; false when there was none with that id. */
    public boolean remove(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM protected_tables WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        }
    }
}
