package io.dbops.flinkjobs.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowSqlDigest;
import io.dbops.events.Stats;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

    @Test
    void aDigestIsOneLineTaggedByIdentityAndQueryIdAtItsWindowStart() {
        InstanceRef i = new InstanceRef("db 1,a=b", Engine.MARIADB, "orders", "host-7", 3306, "trade");
        Instant start = Instant.parse("2026-11-25T10:00:00Z");
        SlowSqlDigest d = new SlowSqlDigest(1, start.plusSeconds(60), start, start.plusSeconds(60), i, "ABC", "select ?", "shop", 12,
                new Stats(6.0, 0.1, 2.0, 0.5, 1.5, 0.4, 1.9), null, null, new Stats(1200, 100, 100, 100, 100), "SELECT 1", start);
        assertThat(LineProtocol.slowSql(d)).isEqualTo("slowsql,instance=db\\ 1\\,a\\=b,engine=mariadb,cluster=orders,host=host-7,"
                + "business_line=trade,query_id=ABC calls=12i,query_time_sum=6.0,query_time_max=2.0,query_time_avg=0.5,"
                + "query_time_p95=1.5,query_time_p50=0.4,query_time_p99=1.9,rows_examined_sum=1200.0 1795600800000000000");
    }

    @Test
    void absentTagsAndFieldsAreLeftOut() {
        InstanceRef i = new InstanceRef("db-1", Engine.MYSQL, null, "h", null, null);
        Instant start = Instant.EPOCH;
        SlowSqlDigest d = new SlowSqlDigest(1, start, start, start, i, "Q", "f", null, 1, new Stats(1, 1, 1, 1, 1), null, null, null,
                null, null);
        assertThat(LineProtocol.slowSql(d)).isEqualTo("slowsql,instance=db-1,engine=mysql,host=h,query_id=Q calls=1i,"
                + "query_time_sum=1.0,query_time_max=1.0,query_time_avg=1.0,query_time_p95=1.0 0000000");
    }
}
