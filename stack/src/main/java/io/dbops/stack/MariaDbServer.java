package io.dbops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * One MariaDB server with its own port, socket and data directory: a member of the demo
 * replication set (GTID, ROW binlog with FULL images, slow log on) or the platform's metadata DB.
 * Root logs in only over the instance's socket; TCP users are created by the stack with
 * generated passwords.
 */
final class MariaDbServer extends ServerComponent {
    enum Role { METADATA, PRIMARY, REPLICA }

    private final Role role;
    private final int serverId;

    MariaDbServer(StackConfig config, String name, Role role, int serverId) {
        super(config, name);
        this.role = role;
        this.serverId = serverId;
    }

    Role role() {
        return role;
    }

    Path cnf() {
        return dir().resolve("my.cnf");
    }

    Path slowLog() {
        return dir().resolve("slow.log");
    }

    String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + (database == null ? "" : database) + "?connectTimeout=3000";
    }

    Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(null), p);
    }

    @Override
    void prepare() throws Exception {
        write(cnf(), myCnf());
        Files.createDirectories(dir().resolve("tmp"));
        Path installed = dir().resolve(".installed");
        if (!Files.exists(installed)) {
            // a data directory without the marker is a half-finished install: start it again from scratch
            List<String> install = List.of("mariadb-install-db", "--defaults-file=" + cnf(),
                    "--auth-root-authentication-method=normal", "--skip-test-db");
            deleteTree(dir().resolve("data"));
            Shell.Result first = Shell.run(install, null, 120);
            if (!first.ok()) {
                // one clean retry; the first failure is kept in the component's log for diagnosis
                Files.createDirectories(process.logFile().getParent());
                Files.writeString(process.logFile(), "mariadb-install-db failed once, retrying:\n" + first.output() + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                deleteTree(dir().resolve("data"));
                Shell.check(name + ": mariadb-install-db", install, null, 120);
            }
            Files.createFile(installed);
        }
    }

    @Override
    List<String> command() {
        return List.of("mariadbd", "--defaults-file=" + cnf());
    }

    @Override
    boolean ready() {
        return Shell.run(List.of("mariadb-admin", "--defaults-file=" + cnf(), "--connect-timeout=1", "ping"), null, 10).ok();
    }

    @Override
    Health health() {
        return ready() ? Health.ok("answers") : Health.bad("does not answer on " + address());
    }

    @Override
    Duration startTimeout() {
        return Duration.ofSeconds(90);
    }

    /** Runs SQL as root over the socket; statements come over stdin so passwords never show in ps. */
    String sql(String statements) {
        return Shell.check(name + ": SQL", List.of("mariadb", "--defaults-file=" + cnf(), "--batch", "--skip-column-names"),
                statements, 60);
    }

    /** Drops root's TCP accounts so that root only logs in over the socket. */
    void dropRootTcpAccounts() {
        String drops = sql("SELECT CONCAT('DROP USER ', QUOTE(user), '@', QUOTE(host), ';') FROM mysql.user "
                + "WHERE user = 'root' AND host <> 'localhost';");
        if (!drops.isBlank()) {
            sql(drops);
        }
    }

    private String myCnf() {
        Path data = dir().resolve("data");
        StringBuilder c = new StringBuilder();
        c.append("# written by dbops; edits are overwritten at the next up\n[mariadbd]\n")
         .append("user=root\n")
         .append("datadir=").append(data).append('\n')
         .append("port=").append(port()).append('\n')
         .append("socket=").append(dir().resolve("mariadbd.sock")).append('\n')
         .append("pid-file=").append(dir().resolve("mariadbd.pid")).append('\n')
         // a private tmpdir: servers installing side by side in a shared /tmp collide on temp-table names
         .append("tmpdir=").append(dir().resolve("tmp")).append('\n')
         .append("bind-address=127.0.0.1\n")
         .append("skip-name-resolve\n")
         .append("server_id=").append(serverId).append('\n')
         .append("innodb_buffer_pool_size=64M\n")
         .append("max_connections=1000\n") // room for a simulated fleet polled through forwarders (./dbops bench e2e)
         .append("character_set_server=utf8mb4\n")
         .append("collation_server=utf8mb4_general_ci\n");
        if (role != Role.METADATA) {
            c.append("log_bin=binlog\n")
             .append("binlog_format=ROW\n")
             .append("binlog_row_image=FULL\n")
             .append("binlog_row_metadata=FULL\n")
             .append("log_slave_updates=ON\n")
             .append("gtid_domain_id=0\n")
             .append("gtid_strict_mode=ON\n")
             // lossless semi-synchronous replication: a commit is acknowledged once a replica has it,
             // so a failover to the most advanced replica loses no acknowledged write (roles change:
             // every server has both sides on; without any replica it falls back to async after 2 s)
             .append("rpl_semi_sync_master_enabled=ON\n")
             .append("rpl_semi_sync_slave_enabled=ON\n")
             .append("rpl_semi_sync_master_wait_point=AFTER_SYNC\n")
             .append("rpl_semi_sync_master_timeout=2000\n")
             .append("slow_query_log=ON\n")
             .append("slow_query_log_file=").append(slowLog()).append('\n')
             .append("long_query_time=0.1\n")
             .append("log_slow_verbosity=query_plan,explain\n");
        }
        if (role == Role.REPLICA) {
            c.append("read_only=ON\n")
             .append("relay_log=relay\n")
             .append("relay_log_recovery=ON\n");
        }
        c.append("\n[client]\n")
         .append("user=root\n")
         .append("socket=").append(dir().resolve("mariadbd.sock")).append('\n');
        return c.toString();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
