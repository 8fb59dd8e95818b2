package io.dbops.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordHashTest {

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String h = PasswordHash.hash("correct horse battery", 1000);
        assertThat(h).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct");
        assertThat(PasswordHash.verify("correct horse battery", h)).isTrue();
        assertThat(PasswordHash.verify("correct horse batterY", h)).isFalse();
        assertThat(PasswordHash.verify("", h)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(PasswordHash.hash("secret-secret", 1000)).isNotEqualTo(PasswordHash.hash("secret-secret", 1000));
    }

    @Test
    void theDefaultWorkFactorIsStoredInTheHash() {
        assertThat(PasswordHash.hash("x")).startsWith("pbkdf2-sha256$" + PasswordHash.DEFAULT_ITERATIONS + "$");
    }

    @ParameterizedTest(name = "stored value \"{0}\" never matches")
    @CsvSource(value = {"NULL", "''", "plain", "pbkdf2-sha256$1000$onlythree", "md5$1$AAAA$AAAA", "pbkdf2-sha256$x$AAAA$AAAA",
            "pbkdf2-sha256$1000$!!!$AAAA"}, nullValues = "NULL")
    void malformedStoredValuesNeverMatch(String stored) {
        assertThat(PasswordHash.verify("anything", stored)).isFalse();
    }

    @Test
    void randomTokensAreUrlSafeAndDistinct() {
        String a = PasswordHash.randomToken(32);
        assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(PasswordHash.randomToken(32));
        assertThat(PasswordHash.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
