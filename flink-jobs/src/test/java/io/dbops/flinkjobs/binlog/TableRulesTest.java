package io.dbops.flinkjobs.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.MetricSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TableRulesTest {
    static final InstanceRef DB1 = new InstanceRef("db-1", Engine.MARIADB, "shop-db", "host-1", 3306, "shop");
    static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    static final TableRules.Settings SETTINGS = new TableRules.Settings(1000, 0.2, 100, 10_000, 60_000, 100, 300_000);

    static BinlogChange change(String gtid, int event, int row, BinlogOp op, long at) {
        return new BinlogChange(BinlogChange.SCHEMA, Instant.ofEpochMilli(at), DB1, gtid, event, row, "shop", "orders", op,
                op == BinlogOp.CREATE ? null : Map.of("id", row), op == BinlogOp.DELETE ? null : Map.of("id", row), null, null);
    }

    static final class Collect implements TableRules.Out {
        final List<Alarm> alarms = new ArrayList<>();
        final List<MetricSample> samples = new ArrayList<>();
        final List<TableRules.TxnPart> parts = new ArrayList<>();

        @Override
        public void alarm(Alarm a) {
            alarms.add(a);
        }

        @Override
        public void sample(MetricSample s) {
            samples.add(s);
        }

        @Override
        public void part(TableRules.TxnPart p) {
            parts.add(p);
        }
    }

    static Stream<Arguments> dedupe() {
        return Stream.of(
                Arguments.of("first sight", List.of(), "0-1-10", 0, 0, false),
                Arguments.of("same row again", List.of("0-1-10/0/0"), "0-1-10", 0, 0, true),
                Arguments.of("next row of the transaction", List.of("0-1-10/0/0"), "0-1-10", 0, 1, false),
                Arguments.of("next rows event", List.of("0-1-10/0/5"), "0-1-10", 1, 0, false),
                Arguments.of("an earlier row re-sent", List.of("0-1-10/1/0"), "0-1-10", 0, 7, true),
                Arguments.of("an older transaction re-sent", List.of("0-1-10/0/0", "0-1-11/0/0"), "0-1-10", 0, 3, true),
                Arguments.of("a newer transaction", List.of("0-1-10/0/9"), "0-1-11", 0, 0, false),
                Arguments.of("after a failover: new server id, sequence goes on", List.of("0-1-10/0/0"), "0-2-11", 0, 0, false),
                Arguments.of("another domain is separate", List.of("0-1-10/0/0"), "1-1-3", 0, 0, false),
                Arguments.of("MySQL GTIDs", List.of("3e11fa47-71ca-11e1-9e33-c80aa9429562:23/0/0"), "3e11fa47-71ca-11e1-9e33-c80aa9429562:22", 0, 0, true),
                Arguments.of("no GTID: kept", List.of(), null, 0, 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dedupe")
    void dedupesByGtidEventAndRow(String name, List<String> seen, String gtid, int event, int row, boolean duplicate) {
        TableRules.State s = new TableRules.State();
        for (String x : seen) {
            String[] p = x.split("/");
            assertThat(TableRules.duplicate(s, change(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), BinlogOp.CREATE, T0))).isFalse();
        }
        assertThat(TableRules.duplicate(s, change(gtid, event, row, BinlogOp.CREATE, T0))).isEqualTo(duplicate);
    }

    @Test
    void aDdlStatementIsAnInfoAlarmThatStaysFiringAsContextThenResolves() {
        TableRules.State s = new TableRules.State();
        Collect out = new Collect();
        BinlogChange ddl = new BinlogChange(BinlogChange.SCHEMA, Instant.ofEpochMilli(T0), DB1, "0-1-5", 0, 0, "shop", "orders", BinlogOp.DDL,
                null, null, "ALTER TABLE orders\n  ADD COLUMN note VARCHAR(40)", null);
        TableRules.onChange(s, ddl, SETTINGS, ProtectedTables.NONE, out);
        assertThat(out.alarms).extracting(Alarm::status).containsExactly(AlarmStatus.FIRING);
        assertThat(s.pending()).isTrue();
        TableRules.onTick(s, T0 + 299_000, SETTINGS, out);
        assertThat(out.alarms).hasSize(1);
        TableRules.onTick(s, T0 + 300_000, SETTINGS, out);
        assertThat(out.alarms).extracting(Alarm::status).containsExactly(AlarmStatus.FIRING, AlarmStatus.RESOLVED);
        Alarm a = out.alarms.get(0);
        assertThat(a.type()).isEqualTo("binlog_ddl");
        assertThat(a.summary()).isEqualTo("DDL on shop.orders at 2026-11-25T10:00:00Z: ALTER TABLE orders ADD COLUMN note VARCHAR(40)");
        assertThat(a.labels()).containsEntry("table", "shop.orders").containsEntry("gtid", "0-1-5");
        assertThat(out.alarms.get(1).id()).isEqualTo(a.id());
        assertThat(out.alarms.get(1).endsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 300_000));
    }

    static Stream<Arguments> mass() {
        return Stream.of(
                // rows, spread over ms, op, estimated table rows (NaN: unknown), fires
                Arguments.of("below the row threshold", 1000, 50_000, BinlogOp.DELETE, Double.NaN, false),
                Arguments.of("above it within a minute", 1001, 50_000, BinlogOp.DELETE, Double.NaN, true),
                Arguments.of("the same rows over two minutes", 1001, 120_000, BinlogOp.DELETE, Double.NaN, false),
                Arguments.of("updates count too", 1500, 10_000, BinlogOp.UPDATE, Double.NaN, true),
                Arguments.of("inserts never do", 5000, 10_000, BinlogOp.CREATE, Double.NaN, false),
                Arguments.of("a fifth of a known table", 201, 10_000, BinlogOp.DELETE, 1000.0, true),
                Arguments.of("under a fifth of it", 199, 10_000, BinlogOp.DELETE, 1000.0, false),
                Arguments.of("a tiny table uses the row threshold", 60, 10_000, BinlogOp.DELETE, 50.0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mass")
    void massChanges(String name, int rows, long spreadMs, BinlogOp op, double tableRows, boolean fires) {
        TableRules.State s = new TableRules.State();
        if (!Double.isNaN(tableRows)) {
            TableRules.estimatedRows(s, tableRows);
        }
        Collect out = new Collect();
        for (int i = 0; i < rows; i++) {
            TableRules.onChange(s, change("0-1-" + (100 + i), 0, 0, op, T0 + (long) i * spreadMs / rows), SETTINGS, ProtectedTables.NONE, out);
        }
        String type = op == BinlogOp.UPDATE ? "binlog_mass_update" : "binlog_mass_delete";
        assertThat(out.alarms.stream().filter(a -> a.type().equals(type))).hasSize(fires ? 1 : 0);
    }

    @Test
    void aMassDeleteResolvesOnceQuietWithItsPeak() {
        TableRules.State s = new TableRules.State();
        Collect out = new Collect();
        for (int i = 0; i < 2000; i++) {
            TableRules.onChange(s, change("0-1-7", 0, i, BinlogOp.DELETE, T0 + i), SETTINGS, ProtectedTables.NONE, out);
        }
        assertThat(out.alarms).hasSize(1);
        TableRules.onTick(s, T0 + 30_000, SETTINGS, out);
        assertThat(out.alarms).as("still within the minute").hasSize(1);
        TableRules.onTick(s, T0 + 62_000, SETTINGS, out);
        assertThat(out.alarms).hasSize(2);
        Alarm resolved = out.alarms.get(1);
        assertThat(resolved.status()).isEqualTo(AlarmStatus.RESOLVED);
        assertThat(resolved.id()).isEqualTo(out.alarms.get(0).id()).isEqualTo("binlog_mass_delete/db-1/shop.orders");
        assertThat(resolved.value()).isEqualTo(2000.0);
        assertThat(s.pending()).isFalse();
    }

    @Test
    void writesToAProtectedTableFireOnceAndResolveWhenTheyStop() {
        ProtectedTables p = new ProtectedTables(List.of(ProtectedTables.parse("cluster:shop-db/shop.ord*", "ledger of record")));
        TableRules.State s = new TableRules.State();
        Collect out = new Collect();
        for (int i = 0; i < 3; i++) {
            TableRules.onChange(s, change("0-1-" + i, 0, 0, BinlogOp.UPDATE, T0 + i * 1000L), SETTINGS, p, out);
        }
        assertThat(out.alarms).hasSize(1);
        assertThat(out.alarms.get(0).summary()).isEqualTo("write to protected table shop.orders on db-1: UPDATE of a row; protected by cluster "
                + "shop-db shop.ord* (ledger of record)");
        TableRules.onTick(s, T0 + 62_001, SETTINGS, out);
        assertThat(out.alarms).extracting(Alarm::status).containsExactly(AlarmStatus.FIRING, AlarmStatus.RESOLVED);
        assertThat(out.alarms.get(1).value()).isEqualTo(3.0);
    }

    @Test
    void perTableCountsPerBucketAndTransactionPieces() {
        TableRules.State s = new TableRules.State();
        Collect out = new Collect();
        for (int i = 0; i < 250; i++) {
            TableRules.onChange(s, change("0-1-9", 0, i, BinlogOp.CREATE, T0 + i), SETTINGS, ProtectedTables.NONE, out);
        }
        TableRules.onChange(s, change("0-1-10", 0, 0, BinlogOp.DELETE, T0 + 300), SETTINGS, ProtectedTables.NONE, out);
        TableRules.onChange(s, change("0-1-11", 0, 0, BinlogOp.UPDATE, T0 + 10_001), SETTINGS, ProtectedTables.NONE, out);
        assertThat(out.samples).hasSize(1);
        MetricSample m = out.samples.get(0);
        assertThat(m.measurement()).isEqualTo("binlog_table");
        assertThat(m.tags()).containsEntry("table", "orders").containsEntry("db", "shop");
        assertThat(m.fields()).containsEntry("inserts", 250.0).containsEntry("deletes", 1.0).containsEntry("updates", 0.0).containsEntry("rows_per_s", 25.1);
        assertThat(out.parts).extracting(TableRules.TxnPart::gtid, TableRules.TxnPart::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0-1-9", 100L), org.assertj.core.groups.Tuple.tuple("0-1-9", 100L),
                        org.assertj.core.groups.Tuple.tuple("0-1-9", 50L), org.assertj.core.groups.Tuple.tuple("0-1-10", 1L));
        TableRules.onTick(s, T0 + 40_000, SETTINGS, out);
        assertThat(out.samples).hasSize(2);
        assertThat(out.parts).hasSize(5);
        assertThat(s.pending()).isFalse();
    }
}
