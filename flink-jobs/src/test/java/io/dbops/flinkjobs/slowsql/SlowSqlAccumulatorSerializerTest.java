package io.dbops.flinkjobs.slowsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;
import io.dbops.flinkjobs.SerializerChecks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A partial digest survives the hand-written serializer whole; a copy shares nothing with its source. */
class SlowSqlAccumulatorSerializerTest {
    private static final SlowSqlAccumulatorSerializer S = SlowSqlAccumulatorSerializer.INSTANCE;

    static List<SlowSqlAccumulator> partials() {
        SlowSqlAccumulator many = new SlowSqlAccumulator(); // a MariaDB query seen 500 times, with its plan
        Random r = new Random(5);
        for (int i = 0; i < 500; i++) {
            many.add(SlowSqlAccumulatorTest.query(Math.exp(r.nextGaussian() - 2), 60_000 + r.nextInt(60_000), "SELECT " + i + " -- ünïcödé"));
        }
        SlowSqlAccumulator redis = new SlowSqlAccumulator(); // no port, no lock time, no rows, no database, no plan
        redis.add(new SlowQuery(1, Instant.ofEpochMilli(5), new InstanceRef("r-1", Engine.REDIS, null, "h", null, "cache"), "KEYS *",
                "KEYS *", "R1", null, null, null, null, 0.02, null, null, null, null, null, Map.of(), "test"));
        return List.of(many, redis, new SlowSqlAccumulator());
    }

    @ParameterizedTest
    @MethodSource("partials")
    void roundTripsWhole(SlowSqlAccumulator a) throws Exception {
        SlowSqlAccumulator back = SerializerChecks.roundTrip(S, a);
        assertThat(back.count()).isEqualTo(a.count());
        assertThat(back.key()).isEqualTo(a.key());
        assertThat(back.lastSeenMillis()).isEqualTo(a.lastSeenMillis());
        if (a.count() > 0) {
            assertThat(digest(back)).isEqualTo(digest(a));
        }
    }

    @ParameterizedTest
    @MethodSource("partials")
    void aCopyIsIndependent(SlowSqlAccumulator a) throws Exception {
        SerializerChecks.copyIsIndependent(S, a, copy -> copy.add(SlowSqlAccumulatorTest.query(99.0, 1, "SELECT changed")));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35, Long.MAX_VALUE, -1})
    void sketchNumbersRoundTrip(long v) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        LogHistogram.writeVar(out, v);
        assertThat(out.length()).isEqualTo(v < 0 ? 10 : Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7));
        assertThat(LogHistogram.readVar(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(v);
    }

    private static Object digest(SlowSqlAccumulator a) {
        return a.toDigest(Instant.EPOCH, Instant.ofEpochSecond(60));
    }
}
