package io.dbops.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "*|anything|true",
            "demo-*|demo-mariadb|true",
            "demo-*|e2e-c001|false",
            "DEMO-*|demo-mariadb|true",
            "c-??|c-01|true",
            "c-??|c-001|false",
            "a.b|a.b|true",
            "a.b|axb|false",
            "'demo-*, e2e-c00?'|e2e-c007|true",
            "'demo-*, e2e-c00?'|e2e-c017|false",
            "' , '|x|false",
    })
    void patterns(String globs, String name, boolean matches) {
        assertThat(Glob.anyMatches(globs, name)).isEqualTo(matches);
    }
}
