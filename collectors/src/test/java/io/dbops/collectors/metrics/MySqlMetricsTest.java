package io.dbops.collectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.sql.Fingerprinter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MySqlMetricsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "42,42.0", "0.5,0.5", "-3,-3.0", "ON,1.0", "OFF,0.0", "Yes,1.0", "NO,0.0",
            "NULL,NULL", "'',NULL", "abc,NULL", "10.11.6-MariaDB-log,NULL", "/var/lib/mysql/,NULL"})
    void readsNumbersAndSwitches(String text, Double expected) {
        assertThat(MySqlMetrics.number(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10.11.6-MariaDB-0+deb12u1-log,true", "8.0.36,false", "8.0.36-28 Percona Server,false", "5.5.5-10.11.6-MariaDB,true"})
    void detectsTheFlavourFromTheServersVersion(String version, boolean mariadb) {
        assertThat(MySqlMetrics.isMariaDb(version)).isEqualTo(mariadb);
    }

    @Test
    void statusKeepsNumbersLowerCased() {
        Map<String, String> rows = new HashMap<>();
        rows.put("Threads_running", "7");
        rows.put("Ssl_cipher", "");
        rows.put("Slave_running", "OFF");
        rows.put("Innodb_buffer_pool_dump_status", "Dumping of buffer pool not started");
        assertThat(MySqlMetrics.numericFields(rows)).containsOnly(Map.entry("threads_running", 7.0), Map.entry("slave_running", 0.0));
    }

    @Test
    void mariadbReplicaWithTheIoThreadConnectingKeepsLagNull() {
        Map<String, String> row = new HashMap<>();
        row.put("Connection_name", "");
        row.put("Master_Host", "10.0.0.7");
        row.put("Master_Port", "3306");
        row.put("Slave_IO_Running", "Connecting");
        row.put("Slave_SQL_Running", "Yes");
        row.put("Seconds_Behind_Master", null);
        row.put("Last_IO_Errno", "2003");
        row.put("Last_SQL_Errno", "0");
        row.put("Gtid_IO_Pos", "0-1-1234,1-2-77");
        MySqlMetrics.Replication r = MySqlMetrics.replication(row);
        assertThat(r.fields()).containsEntry("io_running", 0.0).containsEntry("io_connecting", 1.0).containsEntry("sql_running", 1.0)
                .containsEntry("last_io_errno", 2003.0).containsEntry("gtid_io_seq", 1234.0);
        assertThat(r.fields()).as("NULL stays NULL, never 0").containsKey("seconds_behind_master");
        assertThat(r.fields().get("seconds_behind_master")).isNull();
        assertThat(r.tags()).containsExactly(Map.entry("source", "10.0.0.7:3306"));
    }

    @Test
    void mysql8ReplicaColumnsMapToTheSameFields() {
        Map<String, String> row = new HashMap<>();
        row.put("Channel_Name", "orders");
        row.put("Source_Host", "db-7");
        row.put("Source_Port", "3306");
        row.put("Replica_IO_Running", "Yes");
        row.put("Replica_SQL_Running", "No");
        row.put("Seconds_Behind_Source", "12");
        row.put("Last_SQL_Errno", "1062");
        row.put("Retrieved_Gtid_Set", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5123");
        MySqlMetrics.Replication r = MySqlMetrics.replication(row);
        assertThat(r.fields()).containsEntry("io_running", 1.0).containsEntry("sql_running", 0.0)
                .containsEntry("seconds_behind_master", 12.0).containsEntry("last_sql_errno", 1062.0).containsEntry("gtid_io_seq", 5123.0);
        assertThat(r.tags()).containsEntry("channel", "orders").containsEntry("source", "db-7:3306");
    }

    @Test
    void processlistSummaryFindsTheLongestQueryAndSkipsIdleAndOwnThreads() {
        List<MySqlMetrics.Process> rows = List.of(
                new MySqlMetrics.Process(1, "system user", "Slave_SQL", 999, null),
                new MySqlMetrics.Process(2, "app", "Sleep", 500, null),
                new MySqlMetrics.Process(3, "app", "Query", 12, "SELECT * FROM orders WHERE id = 42"),
                new MySqlMetrics.Process(4, "report", "Query", 95, "SELECT SUM(total) FROM orders WHERE day > '2026-01-01'"),
                new MySqlMetrics.Process(5, "dbops_monitor", "Query", 0, "SELECT ... PROCESSLIST"),
                new MySqlMetrics.Process(6, "repl", "Binlog Dump GTID", 4000, null));
        MySqlMetrics.ProcesslistSummary s = MySqlMetrics.processlist(rows, 5, Fingerprinter.pt());
        assertThat(s.fields()).containsEntry("threads_total", 4.0).containsEntry("threads_active", 2.0)
                .containsEntry("longest_query_seconds", 95.0).containsEntry("longest_query_id", 4.0);
        assertThat(s.tags()).containsEntry("info.longest_user", "report")
                .containsEntry("info.longest_fingerprint", "select sum(total) from orders where day > ?");
    }
}
