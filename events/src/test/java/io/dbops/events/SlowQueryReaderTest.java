package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming slow-query reader agrees with the careful path on valid documents and declines everything doubtful. */
class SlowQueryReaderTest {

    @Test
    void readsWhatTheWriterWrites() {
        SlowQuery q = (SlowQuery) EventSamples.of(EventType.SLOW_QUERY);
        byte[] json = EventCodec.toBytes(q);
        assertThat(SlowQueryReader.read(json)).isEqualTo(q);
        assertThat(EventCodec.fromBytes(json, SlowQuery.class)).isEqualTo(q);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"mariadb\",\"host\":\"h\",\"port\":3306},"
                    + "\"query\":\"select 1\",\"queryTimeSec\":0.5,\"future\":[1,{\"x\":2}]}",
            "{\"queryTimeSec\":3,\"query\":\"SELECT * FROM t WHERE a = 'x'\",\"fingerprint\":\"select * from t where a = ?\","
                    + "\"queryId\":\"ABC\",\"database\":null,\"user\":\"app\",\"clientHost\":\"10.0.0.1\",\"threadId\":77,\"lockTimeSec\":0,"
                    + "\"rowsSent\":1,\"rowsExamined\":1000,\"rowsAffected\":null,\"bytesSent\":99,\"attributes\":{\"QC_hit\":\"No\"},"
                    + "\"source\":\"slowlog\",\"instance\":{\"host\":\"h\",\"engine\":\"redis\",\"id\":\"r1\"},\"time\":\"2026-11-25T10:00:00.5Z\",\"schema\":1}",
    })
    void agreesWithTheCarefulPath(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        SlowQuery fast = SlowQueryReader.read(b);
        assertThat(fast).isNotNull();
        assertThat(fast).isEqualTo(EventCodec.mapper().convertValue(EventCodec.mapper().valueToTree(fast), SlowQuery.class));
        assertThat(EventCodec.fromBytes(b, SlowQuery.class)).isEqualTo(fast);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "{\"schema\":2,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"query\":\"q\",\"queryTimeSec\":1}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"queryTimeSec\":1}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"query\":\"q\"}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"query\":\"q\",\"queryTimeSec\":\"1\"}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"query\":\"q\",\"queryTimeSec\":1,\"rowsSent\":1.5}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"query\":\"q\",\"queryTimeSec\":1,\"attributes\":{\"a\":1}}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"query\":7,\"queryTimeSec\":1}",
    })
    void declinesAnythingDoubtful(String json) {
        assertThat(SlowQueryReader.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
