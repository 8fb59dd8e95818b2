package io.dbops.flinkjobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExprTest {
    private static final Map<String, Double> VALUES = Map.of(
            "m.a", 10.0, "m.b", 4.0, "m.zero", 0.0, "r.io_running", 1.0, "r.sql_running", 0.0);
    private static final Map<String, Double> CHANGES = Map.of("rate:m.c", 5.0, "deriv:m.d", -2.0, "delta:m.d", -20.0);

    private static final Expr.Values LOOKUP = new Expr.Values() {
        @Override
        public double value(String measurement, String field) {
            return VALUES.getOrDefault(measurement + "." + field, Double.NaN);
        }

        @Override
        public double change(String function, String measurement, String field) {
            return CHANGES.getOrDefault(function + ":" + measurement + "." + field, Double.NaN);
        }
    };

    @ParameterizedTest(name = "{0} = {1} ({2})")
    @CsvSource(delimiter = '|', value = {
            "m.a                                   | 10   | a reference",
            "M.A                                   | 10   | references are case-insensitive",
            "m.a + m.b * 2                         | 18   | precedence",
            "(m.a + m.b) * 2                       | 28   | parentheses",
            "-m.a + 1                              | -9   | unary minus",
            "m.a / m.b                             | 2.5  | division",
            "m.a / m.zero                          | NaN  | division by zero is unknown, not infinity",
            "m.a > 5                               | 1    | comparison true",
            "m.a <= 5                              | 0    | comparison false",
            "m.missing > 5                         | NaN  | an unreported value is unknown",
            "m.missing > 5 or m.a > 5              | 1    | true or unknown is true",
            "m.missing > 5 and m.a > 50            | 0    | false and unknown is false",
            "m.missing > 5 and m.a > 5             | NaN  | true and unknown is unknown",
            "not m.a > 5                           | 0    | not",
            "!(m.a > 5)                            | 0    | ! is not",
            "m.a != 10                             | 0    | != is not mistaken for !",
            "r.io_running == 0 or r.sql_running == 0 | 1  | replication broken",
            "rate(m.c)                             | 5    | counter rate",
            "deriv(m.d) < 0                        | 1    | gauge derivative",
            "delta(m.d)                            | -20  | delta",
            "rate(m.unknown)                       | NaN  | rate without two samples is unknown",
            "present(m.a) + present(m.missing)     | 1    | present",
            "abs(m.b - m.a)                        | 6    | abs",
            "max(m.a, m.b, 3)                      | 10   | max",
            "min(m.a, m.b)                         | 4    | min",
            "1.5e3                                 | 1500 | exponent",
            "true and m.a == 10                    | 1    | boolean literals",
    })
    void evaluates(String text, double expected, String why) {
        double v = Expr.parse(text).eval(LOOKUP);
        if (Double.isNaN(expected)) {
            assertThat(v).as(why).isNaN();
        } else {
            assertThat(v).as(why).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "m.a >                 | ends too early",
            "threads_running > 5   | is not a metric reference",
            "a.b.c > 1             | is not a metric reference",
            "foo(m.a)              | unknown function foo",
            "(m.a > 1              | expected ')'",
            "m.a > 1 )             | unexpected ')'",
            "abs(m.a, m.b)         | abs takes 1 argument",
            "max(m.a)              | max takes two or more",
            "m.a # 2               | unexpected '#",
    })
    void rejectsWithAMessageNamingTheProblem(String text, String message) {
        assertThatThrownBy(() -> Expr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void listsTheMeasurementsItReads() {
        Expr e = Expr.parse("rate(mysql_status.questions) > 100 and mysql_variables.max_connections > 0");
        assertThat(e.measurements()).containsExactly("mysql_status", "mysql_variables");
        assertThat(e.refs()).containsExactly("mysql_status.questions", "mysql_variables.max_connections");
    }
}
