package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming reader agrees with the careful path on valid samples and declines everything doubtful. */
class MetricSampleReaderTest {

    @Test
    void readsWhatTheWriterWrites() {
        MetricSample s = (MetricSample) EventSamples.of(EventType.METRIC_SAMPLE);
        byte[] json = EventCodec.toBytes(s);
        assertThat(MetricSampleReader.read(json)).isEqualTo(s);
        assertThat(EventCodec.fromBytes(json, MetricSample.class)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\",\"extra\":[1,{\"x\":2}]},"
                    + "\"measurement\":\"m\",\"fields\":{\"x\":1,\"y\":2.5e3,\"z\":null},\"future\":{\"a\":[1]},\"tags\":null}",
            "{\"fields\":{},\"measurement\":\"up\",\"instance\":{\"host\":\"h\",\"engine\":\"mongo\",\"id\":\"m1\",\"port\":27017},"
                    + "\"time\":\"2026-11-25T10:00:00.123456Z\",\"schema\":1,\"error\":\"connect timed out\",\"tags\":{\"db\":\"db0\"}}",
    })
    void agreesWithTheCarefulPath(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        MetricSample fast = MetricSampleReader.read(b);
        assertThat(fast).isNotNull();
        assertThat(fast).isEqualTo(EventCodec.mapper().convertValue(EventCodec.mapper().valueToTree(fast), MetricSample.class));
        assertThat(EventCodec.fromBytes(b, MetricSample.class)).isEqualTo(fast);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "{\"schema\":2,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"measurement\":\"m\",\"fields\":{}}",
            "{\"schema\":1,\"time\":\"yesterday\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"measurement\":\"m\",\"fields\":{}}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"oracle\",\"host\":\"h\"},\"measurement\":\"m\",\"fields\":{}}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\"},\"measurement\":\"m\",\"fields\":{}}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"fields\":{}}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"measurement\":\"m\",\"fields\":{\"x\":\"NaN\"}}",
            "{\"schema\":1,\"time\":\"2026-11-25T10:00:00Z\",\"instance\":{\"id\":\"a\",\"engine\":\"redis\",\"host\":\"h\"},\"measurement\":\"m\",\"fields\":{}} trailing",
    })
    void declinesAnythingDoubtful(String json) {
        assertThat(MetricSampleReader.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
