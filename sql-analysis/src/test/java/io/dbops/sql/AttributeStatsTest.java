package io.dbops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttributeStatsTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "12|12",
        "0.000123|0.000123",
        "12.|12",
        ".5|0.5",
        "-3.25|-3.25",
        "1e3|1000",
        "1234567890123456789|1234567890123456789",
        "0.1234567890123456789|0.1234567890123456789",
        "7abc|7",         // Perl reads the leading number
        "abc|0",
        "' 4.5'|4.5",
    })
    void readsNumbersLikePerl(String text, double expected) {
        assertThat(AttributeStats.Numeric.parse(text)).isEqualTo(expected);
    }

    @Test
    void plainDecimalsGiveTheSameDoubleAsParseDouble() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 300_000; i++) {
            String s = switch (i % 3) {
                case 0 -> String.format(Locale.ROOT, "%.6f", r.nextDouble() * Math.pow(10, r.nextInt(8)));
                case 1 -> Long.toString(r.nextLong(1L << 50));
                default -> r.nextInt(100) + "." + Long.toString(r.nextLong(1_000_000_000_000L));
            };
            assertThat(AttributeStats.Numeric.parse(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void typesFollowTheFirstValue() {
        assertThat(AttributeStats.typeOf("0.5")).isEqualTo(AttributeStats.Type.NUMERIC);
        assertThat(AttributeStats.typeOf("Yes")).isEqualTo(AttributeStats.Type.FLAG);
        assertThat(AttributeStats.typeOf("No")).isEqualTo(AttributeStats.Type.FLAG);
        assertThat(AttributeStats.typeOf("shop")).isEqualTo(AttributeStats.Type.TEXT);
        assertThat(AttributeStats.isNumber("1e5")).isFalse(); // pt's test wants digits and a point before an exponent
        assertThat(AttributeStats.isNumber("1.e5")).isTrue();
    }
}
