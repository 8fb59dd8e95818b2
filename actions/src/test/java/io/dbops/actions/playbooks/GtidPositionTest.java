package io.dbops.actions.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GtidPositionTest {

    @ParameterizedTest(name = "{0} vs {1}: contains {2}, advance {3}")
    @CsvSource(delimiter = '|', value = {
        "0-1-100       | 0-1-99          | true  | 1",
        "0-1-99        | 0-1-100         | false | -1",
        "0-1-100       | 0-1-100         | true  | 0",
        "0-2-101       | 0-1-100         | true  | 1",     // the server id does not order positions, the sequence does
        "0-1-5,1-3-7   | 0-1-5           | true  | 1",
        "0-1-5         | 0-1-5,1-3-7     | false | -1",
        "0-1-9,1-3-4   | 0-1-5,1-3-7     | false | 1",     // not ordered: the larger total wins
        "''            | 0-1-1           | false | -1",
    })
    void comparesDomainByDomain(String a, String b, boolean contains, int advance) {
        GtidPosition pa = GtidPosition.parse(a);
        GtidPosition pb = GtidPosition.parse(b);
        assertThat(pa.contains(pb)).isEqualTo(contains);
        assertThat(Integer.signum(pa.compareAdvance(pb))).isEqualTo(advance);
    }

    @Test
    void listsWhatOnePositionHasBeyondAnother() {
        assertThat(GtidPosition.parse("0-1-105,1-1-3").beyond(GtidPosition.parse("0-1-100,1-1-3"))).containsExactly("0-1-101..105");
        assertThat(GtidPosition.parse("0-1-101").beyond(GtidPosition.parse("0-1-100"))).containsExactly("0-1-101");
        assertThat(GtidPosition.parse("0-1-100").beyond(GtidPosition.parse("0-2-120"))).isEmpty();
    }

    @Test
    void badPositionsNameTheBadPart() {
        assertThatThrownBy(() -> GtidPosition.parse("0-1-5,zz")).hasMessageContaining("'zz'");
        assertThatThrownBy(() -> GtidPosition.parse("0-1-5,0-2-6")).hasMessageContaining("domain 0 appears twice");
        assertThat(GtidPosition.parse(" 0-1-5 , 2-1-9 ").toString()).isEqualTo("0-1-5,2-1-9");
    }

    @ParameterizedTest(name = "old {0}, primary applied {1}, at {2}: errant {3}")
    @CsvSource(delimiter = '|', value = {
        // the classic case: the dead primary (server 1) wrote 5 transactions nobody received
        "0-1-105 | 0-1-100 | 0-2-130 | 0-1-101..105",
        "0-1-101 | 0-1-100 | 0-2-130 | 0-1-101",
        // it lost nothing: everything it wrote reached the new primary
        "0-1-100 | 0-1-100 | 0-2-130 | ''",
        "0-1-90  | 0-1-100 | 0-2-130 | ''",
        // a replica that kept following the new primary (server 2), nothing of its own
        "0-2-120 | 0-1-100 | 0-2-130 | ''",
        // a replica that wrote by itself (server 3) while fenced
        "0-3-131 | 0-1-100 | 0-2-130 | 0-3-131",
        // a domain the primary never saw
        "0-1-100,5-3-2 | 0-1-100 | 0-2-130 | 5-3-2",
    })
    void errantTransactionsOfAFormerPrimary(String old, String applied, String current, String errant) {
        var found = GtidPosition.parse(old).errantAgainst(GtidPosition.parse(applied), GtidPosition.parse(current));
        assertThat(String.join(",", found)).isEqualTo(errant);
    }
}
