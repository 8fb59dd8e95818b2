package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The slow-log parser and the fingerprinter fed damaged logs: random bytes spliced into a
 * generated log, random truncations, random byte flips, pure noise. They never throw; whatever the
 * damage, the entries around it are still read (the bytes are counted either as entries or as
 * reported problems, and an intact entry after the damage is always read). Seeded.
 */
class SlowLogFuzzTest {
    static byte[] generated(long seed, int entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            new SlowLogGenerator(SlowLogGenerator.Format.MYSQL8, seed).write(w, entries);
        }
        return out.toByteArray();
    }

    record Parsed(int entries, long problems, String lastQuery) {
    }

    static Parsed parse(byte[] log) throws IOException {
        int n = 0;
        String last = null;
        Fingerprinter fp = Fingerprinter.pt();
        try (SlowLogParser p = new SlowLogParser(new ByteArrayInputStream(log))) {
            for (SlowLogEntry e = p.next(); e != null; e = p.next()) {
                n++;
                last = e.query();
                fp.fingerprint(e.query()); // must not throw on anything the parser lets through
            }
            return new Parsed(n, p.problemCount(), last);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void garbageSplicedIntoALogLosesOnlyWhatItHits(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] before = generated(seed, 50);
        byte[] after = generated(seed + 100, 50);
        byte[] noise = new byte[1 + rnd.nextInt(4096)];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) rnd.nextInt(256);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        log.write(before);
        log.write(noise);
        log.write('\n');
        log.write(after);
        Parsed p = parse(log.toByteArray());
        assertThat(p.entries()).as("the damage touches at most the entries beside it").isBetween(98, 101 + noise.length);
        assertThat(p.lastQuery()).as("the last intact entry is read").isEqualTo(parse(after).lastQuery());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void truncationsAndFlipsNeverThrow(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] log = generated(seed, 40);
        int whole = parse(log).entries();
        for (int i = 0; i < 60; i++) {
            byte[] cut = java.util.Arrays.copyOf(log, rnd.nextInt(log.length));
            assertThat(parse(cut).entries()).isBetween(0, whole);
            byte[] flipped = log.clone();
            for (int f = 0; f < 1 + rnd.nextInt(20); f++) {
                flipped[rnd.nextInt(flipped.length)] = (byte) rnd.nextInt(256);
            }
            Parsed p = parse(flipped);
            assertThat(p.entries() + p.problems()).as("every flipped log is read as entries or reported problems").isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 4096, 1 << 20})
    void pureNoiseIsProblemsNotExceptions(int size) throws IOException {
        SplittableRandom rnd = new SplittableRandom(size);
        byte[] noise = new byte[size];
        for (int i = 0; i < size; i++) {
            noise[i] = (byte) rnd.nextInt(256);
        }
        Parsed p = parse(noise);
        // nothing is dropped silently: noise comes out as (headerless) entries or as reported problems
        if (size == 0) {
            assertThat(p.entries() + p.problems()).isZero();
        } else {
            assertThat(p.entries() + p.problems()).isPositive();
        }
    }
}
