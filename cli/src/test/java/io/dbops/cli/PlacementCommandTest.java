package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placement commands end to end in-process: generate, train, evaluate, recommend, and their refusals. */
class PlacementCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;

    record Out(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Out run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void trainOnce() {
        assertThat(run("placement", "generate", "--seed", "1", "--decisions", "1500", "--out", dir.resolve("train.jsonl").toString()).code()).isZero();
        assertThat(run("placement", "generate", "--seed", "2", "--decisions", "300", "--out", dir.resolve("test.jsonl").toString()).code()).isZero();
        Out t = run("placement", "train", "--history", dir.resolve("train.jsonl").toString(), "--model", dir.resolve("model.json").toString(),
                "--rounds", "60");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("trained on 1,500 decisions");
    }

    @Test
    void evaluatePrintsModelAndBaselineWithTheJsonLast() throws Exception {
        Out e = run("placement", "evaluate", "--model", dir.resolve("model.json").toString(), "--history", dir.resolve("test.jsonl").toString(), "--json");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("model behind the hard rules").contains("baseline: most free memory among feasible");
        JsonNode j = JSON.readTree(e.lastLine());
        for (String k : List.of("model", "baseline")) {
            assertThat(j.path(k).has("top1")).isTrue();
            assertThat(j.path(k).has("ndcg3")).isTrue();
            assertThat(j.path(k).path("violations").asInt(-1)).isZero();
        }
        assertThat(j.path("model").path("top1").asDouble()).isGreaterThan(j.path("baseline").path("top1").asDouble());
    }

    @Test
    void recommendRanksFeasibleServersWithReasonsAndRefusesAnImpossibleRequest() throws Exception {
        JsonNode first = JSON.readTree(Files.readAllLines(dir.resolve("test.jsonl")).get(0));
        Files.writeString(dir.resolve("request.json"), first.get("request").toString());
        Files.writeString(dir.resolve("candidates.json"), first.get("candidates").toString());
        Out r = run("placement", "recommend", "--model", dir.resolve("model.json").toString(), "--request", dir.resolve("request.json").toString(),
                "--candidates", dir.resolve("candidates.json").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.lastLine());
        assertThat(j.path("ranked").size()).isPositive();
        assertThat(j.path("ranked").get(0).path("reasons").size()).isPositive();
        assertThat(j.path("ranked").size() + j.path("refused").size()).isEqualTo(first.get("candidates").size());

        Files.writeString(dir.resolve("huge.json"), first.get("request").toString().replaceFirst("\"memory_gb\":[0-9.]+", "\"memory_gb\":100000"));
        Out none = run("placement", "recommend", "--model", dir.resolve("model.json").toString(), "--request", dir.resolve("huge.json").toString(),
                "--candidates", dir.resolve("candidates.json").toString());
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).contains("no feasible server").contains("needs 100000.0");
    }

    @Test
    void badHistoryLinesAreNamedAndNothingIsTrained() throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("test.jsonl")).subList(0, 3);
        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, List.of(lines.get(0), "{\"request\":{\"id\":\"x\"},\"candidates\":[],\"chosen\":\"a\"}",
                lines.get(1).replaceFirst("\"chosen\":\"[^\"]+\"", "\"chosen\":\"no-such-server\"")));
        Out t = run("placement", "train", "--history", bad.toString(), "--model", dir.resolve("bad-model.json").toString());
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("line 2: field 'request.memory_gb' is missing").contains("line 3: field 'chosen': server 'no-such-server'");
        assertThat(dir.resolve("bad-model.json")).doesNotExist();
    }

    @Test
    void aModelFromAnotherFeatureVersionIsRefused() throws Exception {
        Path old = dir.resolve("old.json");
        Files.writeString(old, Files.readString(dir.resolve("model.json")).replaceFirst("\"feature_version\" : \\d+", "\"feature_version\" : 0"));
        Out e = run("placement", "evaluate", "--model", old.toString(), "--history", dir.resolve("test.jsonl").toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("feature version 0").contains("retrain");
    }
}
