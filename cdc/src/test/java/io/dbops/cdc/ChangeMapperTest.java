package io.dbops.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChangeMapperTest {
    static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "set-1", "h1", 3306, "pay");
    static final Schema ROW = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("price", Schema.OPTIONAL_STRING_SCHEMA)
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA).optional().build();
    static final Schema SOURCE = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).field("db", Schema.OPTIONAL_STRING_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA).field("gtid", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema CHANGE = SchemaBuilder.struct().field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).build();
    static final Schema DDL = SchemaBuilder.struct().field("source", SOURCE).field("databaseName", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ddl", Schema.OPTIONAL_STRING_SCHEMA).build();

    static Struct source(String table) {
        return new Struct(SOURCE).put("ts_ms", 1_800_000_000_000L).put("db", "shop").put("table", table).put("gtid", "0-1-42");
    }

    static Struct row(int id, String price) {
        return new Struct(ROW).put("id", id).put("price", price).put("blob", new byte[] {1, 2, 3});
    }

    static SourceRecord record(Struct value, int event, int row) {
        return new SourceRecord(Map.of("server", "dbops"), Map.of("file", "binlog.000001", "pos", 4L, "event", event, "row", row),
                "dbops.shop.items", value.schema(), value);
    }

    @ParameterizedTest(name = "op {0} -> {1}, before {2}, after {3}")
    @CsvSource({"c, CREATE, false, true", "u, UPDATE, true, true", "d, DELETE, true, false"})
    void rowChangesKeepTheirImagesAndTheDedupeIdentity(String op, BinlogOp expected, boolean hasBefore, boolean hasAfter) {
        Struct v = new Struct(CHANGE).put("source", source("items")).put("op", op)
                .put("before", hasBefore ? row(7, "1.50") : null).put("after", hasAfter ? row(7, "2.00") : null);
        BinlogChange c = ChangeMapper.map(record(v, 3, 5), DB);
        assertThat(c.op()).isEqualTo(expected);
        assertThat(c.gtid()).isEqualTo("0-1-42");
        assertThat(c.eventIndex()).isEqualTo(3);
        assertThat(c.rowIndex()).isEqualTo(5);
        assertThat(c.database()).isEqualTo("shop");
        assertThat(c.table()).isEqualTo("items");
        assertThat(c.before() != null).isEqualTo(hasBefore);
        assertThat(c.after() != null).isEqualTo(hasAfter);
        Map<String, Object> image = hasAfter ? c.after() : c.before();
        assertThat(image).containsEntry("id", 7).containsEntry("blob", "AQID");
        assertThat(c.time().toEpochMilli()).isEqualTo(1_800_000_000_000L);
    }

    @ParameterizedTest(name = "op {0} is not a binlog row change")
    @CsvSource({"r", "t"})
    void snapshotReadsAndTruncatesAreNotRowChanges(String op) {
        Struct v = new Struct(CHANGE).put("source", source("items")).put("op", op).put("after", row(1, "1"));
        assertThat(ChangeMapper.map(record(v, 0, 0), DB)).isNull();
    }

    @Test
    void ddlCarriesItsStatementAndTombstonesAreSkipped() {
        Struct v = new Struct(DDL).put("source", source("items")).put("databaseName", "shop").put("ddl", "ALTER TABLE items ADD c INT");
        BinlogChange c = ChangeMapper.map(record(v, 0, 0), DB);
        assertThat(c.op()).isEqualTo(BinlogOp.DDL);
        assertThat(c.ddl()).isEqualTo("ALTER TABLE items ADD c INT");
        assertThat(c.table()).isEqualTo("items");
        assertThat(KafkaBinlogSink.key(c)).as("keyed by the set: a table stays in one partition across failovers").isEqualTo("set-1/shop.items");
        assertThat(io.dbops.events.BinlogChange.stream(new InstanceRef("solo-1", Engine.MARIADB, null, "h1", 3306, "pay"))).isEqualTo("solo-1");
        assertThat(ChangeMapper.map(new SourceRecord(Map.of(), Map.of(), "t", null, null), DB)).isNull();
        Struct empty = new Struct(DDL).put("source", source("")).put("databaseName", "").put("ddl", " ");
        assertThat(ChangeMapper.map(record(empty, 0, 0), DB)).isNull();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"io.debezium.time.MicroTimestamp, 1795600807123456, 2026-11-25T10:00:07.123456Z",
            "io.debezium.time.Timestamp, 1795600807123, 2026-11-25T10:00:07.123Z",
            "io.debezium.time.Date, 20417, 2025-11-25",
            "io.debezium.time.MicroTime, 36007123456, 10:00:07.123456"})
    void temporalValuesBecomeIsoTextWithTheirPrecision(String schema, long raw, String iso) {
        assertThat(ChangeMapper.time(schema, raw)).isEqualTo(iso);
        assertThat(ChangeMapper.time(null, raw)).isEqualTo(raw);
    }

    @Test
    void aLostPositionIsExplainedInWordsADbaActsOn() {
        assertThat(BinlogCapture.explain("Last recorded offset is no longer available on the server."))
                .startsWith("the set's recorded binlog position is not available on this server");
        assertThat(BinlogCapture.explain("Access denied")).isEqualTo("Access denied");
    }
}
