package io.dbops.flinkjobs.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BinlogJobMainTest {
    static Properties config(String... kv) {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap", "127.0.0.1:9092");
        p.setProperty("checkpoint.dir", "/tmp/x");
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void aGoodConfigHasNoProblemsAndSetsTheThresholds() {
        Properties p = config("protect.1", "cluster:shop-db/shop.orders", "mass.rows.per.minute", "500", "mass.table.percent", "10",
                "quiet.seconds", "20", "large.transaction.rows", "2000");
        assertThat(BinlogJobMain.problems(p)).isEmpty();
        BinlogJob.Settings s = BinlogJobMain.settings(p);
        assertThat(s.tables().massRowsPerMinute()).isEqualTo(500);
        assertThat(s.tables().massTableFraction()).isEqualTo(0.1);
        assertThat(s.tables().quietMillis()).isEqualTo(20_000);
        assertThat(s.transactions().largeRows()).isEqualTo(2000);
        assertThat(BinlogJobMain.fixedRules(p)).singleElement().satisfies(r -> assertThat(r.cluster()).isEqualTo("shop-db"));
    }

    @Test
    void everyProblemIsListedAtOnce() {
        Properties p = config("protect.1", "orders", "mass.rows.per.minute", "lots", "colour", "blue", "metadata.url", "jdbc:mariadb://x/dbops");
        p.remove("checkpoint.dir");
        assertThat(BinlogJobMain.problems(p)).hasSize(5).anySatisfy(m -> assertThat(m).contains("missing required key checkpoint.dir"))
                .anySatisfy(m -> assertThat(m).contains("unknown key colour"))
                .anySatisfy(m -> assertThat(m).contains("mass.rows.per.minute must be a whole number"))
                .anySatisfy(m -> assertThat(m).startsWith("protect.1: 'orders': expected db.table"))
                .anySatisfy(m -> assertThat(m).contains("go together"));
    }
}
