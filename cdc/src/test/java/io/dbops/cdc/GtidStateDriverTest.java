package io.dbops.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GtidStateDriverTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SHOW GLOBAL VARIABLES LIKE 'GTID_BINLOG_POS'|true",
            "  show global variables like 'gtid_binlog_pos' |true",
            "SHOW GLOBAL VARIABLES LIKE 'GTID_CURRENT_POS'|false",
            "SELECT @@gtid_binlog_pos|false",
            "SHOW MASTER STATUS|false"})
    void onlyTheConnectorsGtidQuestionIsAnsweredFromTheBinlogState(String sql, boolean rewritten) {
        String out = GtidStateDriver.rewrite(sql);
        assertThat(out.equals(GtidStateDriver.REPLACEMENT)).isEqualTo(rewritten);
        if (!rewritten) {
            assertThat(out).isSameAs(sql);
        }
    }
}
