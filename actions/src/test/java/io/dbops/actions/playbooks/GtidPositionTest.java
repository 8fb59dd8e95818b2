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
}
