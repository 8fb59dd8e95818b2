package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every topic's reader fed bad input (random bytes, every truncation of a valid document, byte
 * flips, wrong schema versions, huge and deeply nested fields, invalid UTF-8): each either reads a
 * valid event or throws {@link EventFormatException} (what the jobs turn into a dead letter), never
 * anything else. Seeded: the same cases every run.
 */
class EventCodecFuzzTest {

    /** Reads, or fails the way dead-lettering code expects; any other outcome fails the test. */
    private static void readOrFormatError(byte[] input, EventType type, String what) {
        try {
            Event e = EventCodec.fromBytes(input, type.recordType());
            assertThat(e).as(what).isNotNull();
            assertThat(e.schema()).as(what).isBetween(1, type.schema());
        } catch (EventFormatException expected) {
            assertThat(expected.getMessage()).as(what).isNotBlank();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail(what + ": " + type + " reader threw " + e, e);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void randomBytes(EventType type) {
        SplittableRandom rnd = new SplittableRandom(type.ordinal() * 7919L + 1);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextBoolean() && b.length > 0) {
                b[0] = '{';
            }
            readOrFormatError(b, type, "random bytes #" + i);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTruncationOfAValidDocument(EventType type) {
        byte[] valid = EventCodec.toBytes(EventSamples.of(type));
        for (int n = 0; n < valid.length; n++) {
            readOrFormatError(Arrays.copyOf(valid, n), type, "first " + n + " bytes");
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void byteFlipsOfAValidDocument(EventType type) {
        byte[] valid = EventCodec.toBytes(EventSamples.of(type));
        SplittableRandom rnd = new SplittableRandom(type.ordinal() + 99);
        for (int i = 0; i < 300; i++) {
            byte[] b = valid.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            readOrFormatError(b, type, "flipped #" + i);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void wrongSchemaVersionsAreRefusedByName(EventType type) {
        String valid = EventCodec.toJson(EventSamples.of(type));
        for (String version : new String[] {"0", "-1", String.valueOf(type.schema() + 1), "999999999999", "\"1\"", "null", "1.5"}) {
            String doc = valid.replaceFirst("\"schema\"\\s*:\\s*\\d+", "\"schema\":" + version);
            try {
                EventCodec.fromJson(doc, type.recordType());
                assertThat(version).as("only a whole number within the supported versions reads").isIn("\"1\"", "1.5");
            } catch (EventFormatException expected) {
                assertThat(expected.getMessage()).contains("schema");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void hugeAndDeepInputIsAnErrorNotACrash(EventType type) {
        String valid = EventCodec.toJson(EventSamples.of(type));
        // a 16 MB string field
        String huge = valid.substring(0, valid.length() - 1) + ",\"padding\":\"" + "x".repeat(16 << 20) + "\"}";
        readOrFormatError(huge.getBytes(StandardCharsets.UTF_8), type, "16 MB field");
        // 100,000 nested arrays
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        readOrFormatError(deep.getBytes(StandardCharsets.UTF_8), type, "deep nesting");
        String deepField = valid.substring(0, valid.length() - 1) + ",\"x\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}";
        readOrFormatError(deepField.getBytes(StandardCharsets.UTF_8), type, "deep field");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void invalidUtf8(EventType type) {
        byte[] valid = EventCodec.toBytes(EventSamples.of(type));
        byte[] b = Arrays.copyOf(valid, valid.length);
        for (int i = 1; i < b.length - 1; i += 17) {
            if (b[i] >= 'a' && b[i] <= 'z') {
                b[i] = (byte) 0xC3; // a lead byte without its continuation
            }
        }
        readOrFormatError(b, type, "invalid UTF-8");
        readOrFormatError(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'}, type, "byte-order garbage");
        readOrFormatError(new byte[0], type, "empty");
    }
}
