package io.dbops.flinkjobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.DeadLetter;
import io.dbops.flinkjobs.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;

/**
 * Bad records for a topic, made from one valid document: random bytes, every tenth truncation,
 * byte flips, a null and an empty value, a 16 MB field, deep nesting, wrong schema versions. And
 * the check every job's parse step must pass on them: each record comes out parsed or as a dead
 * letter with a reason, none is dropped, nothing throws (a throw would restart the job).
 */
public final class FuzzRecords {
    private FuzzRecords() {
    }

    /** The records, keyed {@code key} or not at all (at random), the valid document last and keyed. */
    public static List<RawRecord> records(String topic, String key, byte[] valid, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) rnd.nextInt(256);
            }
            values.add(b);
        }
        for (int n = 0; n < valid.length; n += 10) {
            values.add(Arrays.copyOf(valid, n));
        }
        for (int i = 0; i < 200; i++) {
            byte[] b = valid.clone();
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            values.add(b);
        }
        values.add(null);
        values.add(new byte[0]);
        String doc = new String(valid, StandardCharsets.UTF_8);
        values.add((doc.substring(0, doc.length() - 1) + ",\"padding\":\"" + "x".repeat(16 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        values.add(("[".repeat(50_000) + "]".repeat(50_000)).getBytes(StandardCharsets.UTF_8));
        for (String v : new String[] {"0", "99", "-3", "\"x\""}) {
            values.add(doc.replaceFirst("\"schema\"\\s*:\\s*\\d+", "\"schema\":" + v).getBytes(StandardCharsets.UTF_8));
        }
        values.add(valid);
        List<RawRecord> out = new ArrayList<>();
        long offset = 0;
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        for (byte[] v : values) {
            out.add(new RawRecord(topic, 0, offset, rnd.nextBoolean() && offset < values.size() - 1 ? null : k, v));
            offset++;
        }
        return out;
    }

    /** Runs {@code fn} over {@code in}: every record parsed or dead-lettered with a reason; returns how many were parsed. */
    public static <T> long eachParsedOrDeadLettered(ProcessFunction<RawRecord, T> fn, OutputTag<DeadLetter> deadLetters, List<RawRecord> in)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, T> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            for (RawRecord r : in) {
                h.processElement(r, 0);
            }
            long parsed = h.extractOutputValues().size();
            var dead = h.getSideOutput(deadLetters);
            long deadCount = dead == null ? 0 : dead.size();
            assertThat(parsed + deadCount).as("every record is parsed or dead-lettered").isEqualTo(in.size());
            if (dead != null) {
                dead.forEach(d -> {
                    assertThat(d.getValue().reason()).isNotBlank();
                    assertThat(d.getValue().sourceTopic()).isEqualTo(in.get(0).topic());
                });
            }
            assertThat(parsed).as("the valid document at the end is parsed").isPositive();
            return parsed;
        }
    }
}
