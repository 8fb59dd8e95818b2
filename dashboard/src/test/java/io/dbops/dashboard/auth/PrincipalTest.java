package io.dbops.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrincipalTest {

    @ParameterizedTest(name = "{0} with lines [{1}] sees {2}: {3}")
    @CsvSource(value = {
            "developer, pay;ads, pay, true",
            "developer, pay;ads, ads, true",
            "developer, pay, demo, false",
            "developer, pay, NULL, false",
            "developer, '', pay, false",
            "dba, '', pay, true",
            "dba, '', NULL, true",
            "admin, '', anything, true"}, nullValues = "NULL")
    void developersSeeOnlyTheirBusinessLines(String role, String lines, String line, boolean sees) {
        Principal p = new Principal("u", Principal.Role.parse(role), lines.isEmpty() ? Set.of() : Set.of(lines.split(";")));
        assertThat(p.canSee(line)).isEqualTo(sees);
        assertThat(p.canSeeAny(line == null ? List.of() : List.of("other", line))).isEqualTo(sees);
    }

    @ParameterizedTest(name = "{0}: dba rights {1}, admin rights {2}")
    @CsvSource({"developer, false, false", "dba, true, false", "admin, true, true"})
    void rolesGrantApprovalAndAdministration(String role, boolean dba, boolean admin) {
        Principal p = new Principal("u", Principal.Role.parse(role), Set.of());
        assertThat(p.isDba()).isEqualTo(dba);
        assertThat(p.isAdmin()).isEqualTo(admin);
    }
}
