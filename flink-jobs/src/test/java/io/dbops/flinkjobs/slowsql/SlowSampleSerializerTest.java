package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.flinkjobs.SerializerChecks;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of a sample survives the hand-written serializer, nulls and NaN included. */
class SlowSampleSerializerTest {

    static List<SlowSample> samples() {
        SlowSample full = new SlowSample();
        full.key = "db-1|ABCDEF";
        full.time = 1_795_000_000_123L;
        full.instanceId = "db-1";
        full.engine = Engine.MYSQL;
        full.cluster = "orders";
        full.host = "h1";
        full.port = 3306;
        full.businessLine = "trade";
        full.queryId = "ABCDEF";
        full.fingerprint = "select * from t where id = ?";
        full.database = "shop";
        full.query = "SELECT * FROM t WHERE id = 'O''Brien' -- ünïcödé";
        full.explain = "id\tselect_type\n1\tSIMPLE";
        full.queryTime = 1.25;
        full.lockTime = 0.0001;
        full.rowsSent = 3;
        full.rowsExamined = 1_000_000_000_000L;
        SlowSample sparse = new SlowSample(); // a Redis or Mongo sample: most fields absent, lock time NaN, rows -1
        sparse.key = "r-1|X";
        sparse.instanceId = "r-1";
        sparse.engine = Engine.REDIS;
        sparse.queryTime = 0.02;
        SlowSample empty = new SlowSample();
        return List.of(full, sparse, empty);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsAndCopies(SlowSample s) throws Exception {
        SlowSample back = SerializerChecks.roundTrip(SlowSampleSerializer.INSTANCE, s);
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s);
        assertThat(SlowSampleSerializer.INSTANCE.copy(s)).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s).isNotSameAs(s);
    }
}
