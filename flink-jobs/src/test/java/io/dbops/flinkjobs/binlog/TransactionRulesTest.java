package io.dbops.flinkjobs.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionRulesTest {
    static final InstanceRef DB1 = new InstanceRef("db-1", Engine.MARIADB, "shop-db", "host-1", 3306, "shop");
    static final TransactionRules.Settings S = new TransactionRules.Settings(1000, 30_000);

    static TableRules.TxnPart part(String gtid, String table, long rows, long at) {
        return new TableRules.TxnPart(DB1, gtid, table, rows, at);
    }

    @Test
    void piecesAcrossTablesAddUpAndFireOnceThenResolveWithTheTotal() {
        TransactionRules.State s = new TransactionRules.State();
        List<Alarm> out = new ArrayList<>();
        out.addAll(TransactionRules.onPart(s, part("0-1-5", "shop.orders", 600, 1000), 1000, S));
        assertThat(out).isEmpty();
        out.addAll(TransactionRules.onPart(s, part("0-1-5", "shop.items", 500, 1200), 1200, S));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).summary()).isEqualTo("large transaction 0-1-5 on db-1: 1,100 rows so far (shop.items, shop.orders)");
        out.addAll(TransactionRules.onPart(s, part("0-1-5", "shop.items", 400, 1300), 1300, S));
        assertThat(out).hasSize(1);
        out.addAll(TransactionRules.onTick(s, 20_000, S));
        assertThat(out).hasSize(1);
        out.addAll(TransactionRules.onTick(s, 31_300, S));
        assertThat(out).extracting(Alarm::status).containsExactly(AlarmStatus.FIRING, AlarmStatus.RESOLVED);
        assertThat(out.get(1).value()).isEqualTo(1500.0);
        assertThat(out.get(1).id()).isEqualTo(out.get(0).id());
        assertThat(s.pending()).isFalse();
    }

    @Test
    void smallTransactionsAreForgotten() {
        TransactionRules.State s = new TransactionRules.State();
        for (int i = 0; i < 100; i++) {
            assertThat(TransactionRules.onPart(s, part("0-1-" + i, "shop.orders", 5, i), i, S)).isEmpty();
        }
        assertThat(TransactionRules.onTick(s, 40_000, S)).isEmpty();
        assertThat(s.pending()).isFalse();
    }
}
