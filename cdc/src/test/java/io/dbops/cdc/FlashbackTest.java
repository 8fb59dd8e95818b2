package io.dbops.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.BinlogChange;
import io.dbops.events.BinlogOp;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlashbackTest {
    static final InstanceRef DB = new InstanceRef("db-1", Engine.MARIADB, "s", "h", 3306, "pay");
    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    static final List<Flashback.Column> COLS = List.of(new Flashback.Column("id", Flashback.Kind.NUMBER, true),
            new Flashback.Column("name", Flashback.Kind.TEXT, false), new Flashback.Column("at", Flashback.Kind.DATETIME, false));

    static Map<String, Object> row(int id, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("at", "2026-11-25T10:00:07.123456Z");
        return m;
    }

    static BinlogChange change(BinlogOp op, int seq, Map<String, Object> before, Map<String, Object> after) {
        return new BinlogChange(BinlogChange.SCHEMA, T.plusSeconds(seq), DB, "0-1-" + seq, 0, 0, "shop", "t", op, before, after, null, null);
    }

    @Test
    void eachChangeIsUndoneNewestFirst() {
        List<BinlogChange> range = List.of(change(BinlogOp.CREATE, 1, null, row(1, "a")), change(BinlogOp.UPDATE, 2, row(2, "b"), row(2, "B")),
                change(BinlogOp.DELETE, 3, row(3, "c"), null));
        Flashback.Result r = Flashback.generate("db-1", "shop.t", T, T.plusSeconds(10), range, List.of(), COLS, false);
        List<String> lines = r.sql().lines().filter(l -> !l.startsWith("--")).toList();
        assertThat(lines).containsExactly("START TRANSACTION;",
                "INSERT INTO `shop`.`t` (`id`, `name`, `at`) VALUES (3, 'c', '2026-11-25 10:00:07.123456');",
                "UPDATE `shop`.`t` SET `id` = 2, `name` = 'b', `at` = '2026-11-25 10:00:07.123456' WHERE `id` = 2 LIMIT 1;",
                "DELETE FROM `shop`.`t` WHERE `id` = 1 LIMIT 1;",
                "COMMIT;");
        assertThat(r.sql()).startsWith("-- dbops flashback of shop.t on db-1\n-- undoes 3 row changes");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "O'Brien|'O\\'Brien'",
            "back\\slash|'back\\\\slash'",
            "semi; DROP TABLE x; --|'semi; DROP TABLE x; --'"})
    void textIsEscaped(String value, String literal) {
        StringBuilder sb = new StringBuilder();
        Flashback.literal(sb, value, Flashback.Kind.TEXT);
        assertThat(sb.toString()).isEqualTo(literal);
    }

    @Test
    void otherLiteralsKeepTheirTypeAndNamesAreQuoted() {
        StringBuilder sb = new StringBuilder();
        Flashback.literal(sb, "AAEC", Flashback.Kind.BINARY);
        Flashback.literal(sb.append(' '), null, Flashback.Kind.NUMBER);
        Flashback.literal(sb.append(' '), "12.50", Flashback.Kind.NUMBER);
        Flashback.literal(sb.append(' '), "2026-11-25", Flashback.Kind.DATE);
        assertThat(sb.toString()).isEqualTo("FROM_BASE64('AAEC') NULL 12.50 '2026-11-25'");
        assertThat(Flashback.quoteName("we`ird.t")).isEqualTo("`we``ird`.`t`");
    }

    @Test
    void partialImagesDdlAndLaterChangesAreRefusedWithTheReason() {
        Map<String, Object> partial = new LinkedHashMap<>(Map.of("id", 5));
        Flashback.Result minimal = Flashback.generate("db-1", "shop.t", T, T, List.of(change(BinlogOp.DELETE, 1, partial, null)), List.of(), COLS, false);
        assertThat(minimal.refused()).isTrue();
        assertThat(minimal.problems().get(0)).contains("binlog_row_image=FULL");
        BinlogChange ddl = new BinlogChange(BinlogChange.SCHEMA, T, DB, "0-1-9", 0, 0, "shop", "t", BinlogOp.DDL, null, null, "ALTER TABLE t ADD x INT", null);
        assertThat(Flashback.generate("db-1", "shop.t", T, T, List.of(ddl), List.of(), COLS, false).problems().get(0)).contains("contains DDL");
        List<BinlogChange> range = List.of(change(BinlogOp.UPDATE, 1, row(2, "b"), row(2, "B")));
        List<BinlogChange> later = List.of(change(BinlogOp.UPDATE, 20, row(2, "B"), row(2, "C")));
        Flashback.Result refused = Flashback.generate("db-1", "shop.t", T, T.plusSeconds(10), range, later, COLS, false);
        assertThat(refused.problems().get(0)).contains("1 later changes touched rows of the range").contains("--force");
        Flashback.Result forced = Flashback.generate("db-1", "shop.t", T, T.plusSeconds(10), range, later, COLS, true);
        assertThat(forced.sql()).contains("-- FORCED: overwrites 1 later changes");
        List<Flashback.Column> noKey = List.of(new Flashback.Column("id", Flashback.Kind.NUMBER, false));
        assertThat(Flashback.generate("db-1", "shop.t", T, T, List.of(), List.of(), noKey, false).problems().get(0)).contains("no primary key");
    }

    @Test
    void redeliveredChangesAreDroppedByTheirIdentity() {
        BinlogChange a = change(BinlogOp.CREATE, 1, null, row(1, "a"));
        assertThat(Flashback.dedupe(List.of(a, a, change(BinlogOp.CREATE, 2, null, row(2, "b"))))).hasSize(2);
    }
}
