package io.dbops.mlmodels.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HistoryCodecTest {
    static final String CANDIDATE = "{\"server\":\"s1\",\"rack\":\"r1\",\"dc\":\"bj1\",\"cpu_util\":0.3,\"mem_total_gb\":256,\"mem_free_gb\":100,"
            + "\"disk_free_gb\":900,\"io_util\":0.2,\"instances\":4,\"same_business_instances\":1,\"same_cluster_on_host\":0,"
            + "\"same_cluster_in_rack\":0,\"hardware\":\"dell-r740\"}";
    static final String REQUEST = "{\"id\":\"q1\",\"engine\":\"mysql\",\"memory_gb\":16,\"disk_gb\":200,\"business\":\"housing\","
            + "\"cluster\":\"c1\",\"role\":\"replica\"}";

    static String line(String request, String candidate, String chosen) {
        return "{\"request\":" + request + ",\"candidates\":[" + candidate + "],\"chosen\":" + chosen + "}";
    }

    @Test
    void readsTheDocumentedShapeWithExtras() throws Exception {
        Decision d = HistoryCodec.parse(line(REQUEST, CANDIDATE.replace("}", ",\"maintenance\":true,\"owner\":\"x\"}"), "\"s1\"")
                .replaceFirst("\\}$", ",\"chosen_by\":\"dba\",\"outcome\":{\"incidents_30d\":2}}"));
        assertThat(d.request().memoryGb()).isEqualTo(16);
        assertThat(d.request().cluster()).isEqualTo("c1");
        assertThat(d.candidates().get(0).maintenance()).isTrue();
        assertThat(d.chosenBy()).isEqualTo("dba");
        assertThat(d.incidents30d()).isEqualTo(2);
        assertThat(HistoryCodec.parse(HistoryCodec.write(d))).isEqualTo(d);
    }

    @Test
    void unknownUtilisationIsMissingNotZero() throws Exception {
        Decision d = HistoryCodec.parse(line(REQUEST, CANDIDATE.replace("\"cpu_util\":0.3", "\"cpu_util\":null"), "\"s1\""));
        assertThat(d.candidates().get(0).cpuUtil()).isNaN();
        assertThat(HistoryCodec.write(d)).contains("\"cpu_util\":null");
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("not json", "{\"request\":", "not JSON"),
                Arguments.of("no request", "{\"candidates\":[" + CANDIDATE + "],\"chosen\":\"s1\"}", "field 'request' is missing"),
                Arguments.of("request field missing", line(REQUEST.replace("\"engine\":\"mysql\",", ""), CANDIDATE, "\"s1\""),
                        "field 'request.engine' is missing"),
                Arguments.of("memory as text", line(REQUEST.replace("16", "\"16\""), CANDIDATE, "\"s1\""),
                        "field 'request.memory_gb' must be a number"),
                Arguments.of("candidate field missing", line(REQUEST, CANDIDATE.replace("\"mem_free_gb\":100,", ""), "\"s1\""),
                        "field 'candidates[0].mem_free_gb' is missing"),
                Arguments.of("fractional count", line(REQUEST, CANDIDATE.replace("\"instances\":4", "\"instances\":4.5"), "\"s1\""),
                        "field 'candidates[0].instances' must be a whole number"),
                Arguments.of("no candidates", "{\"request\":" + REQUEST + ",\"candidates\":[],\"chosen\":\"s1\"}", "field 'candidates' is empty"),
                Arguments.of("unknown server chosen", line(REQUEST, CANDIDATE, "\"s9\""), "server 's9' is not among the candidates"),
                Arguments.of("bad time", line(REQUEST, CANDIDATE, "\"s1\"").replaceFirst("\\}$", ",\"decided_at\":\"yesterday\"}"),
                        "field 'decided_at' must be an ISO-8601 time"),
                Arguments.of("nothing chosen", line(REQUEST, CANDIDATE, "null"), "field 'chosen' is missing"),
                Arguments.of("server twice", "{\"request\":" + REQUEST + ",\"candidates\":[" + CANDIDATE + "," + CANDIDATE + "],\"chosen\":\"s1\"}",
                        "'s1' appears twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badLinesNameTheField(String name, String line, String message) {
        assertThatThrownBy(() -> HistoryCodec.parse(line)).isInstanceOf(HistoryCodec.BadDecision.class).hasMessageContaining(message);
    }

    @Test
    void aFileKeepsGoodLinesAndNumbersBadOnes() throws Exception {
        String file = line(REQUEST, CANDIDATE, "\"s1\"") + "\n\n" + line(REQUEST, CANDIDATE, "\"nope\"") + "\n" + line(REQUEST, CANDIDATE, "\"s1\"") + "\n";
        HistoryCodec.Read read = HistoryCodec.read(new BufferedReader(new StringReader(file)));
        assertThat(read.decisions()).hasSize(2);
        assertThat(read.problems()).extracting(HistoryCodec.Problem::line).containsExactly(3L);
        assertThat(read.problems().get(0).toString()).startsWith("line 3: field 'chosen'");
    }

    @Test
    void generatedHistoryRoundTrips() throws Exception {
        List<Decision> gen = PlacementGenerator.generate(5, 50);
        for (Decision d : gen) {
            assertThat(HistoryCodec.parse(HistoryCodec.write(d))).isEqualTo(d);
        }
    }
}
