package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReservedPortsTest {
    @Test
    void addsTheStackPortsInTheEphemeralRangeToWhatIsReserved() {
        String all = ReservedPorts.merged("", 32768, 60999);
        // sentinel-2 at the 8,000 offset, the port a CI run found taken
        assertThat(all.split(",")).contains("34380").doesNotContain("26380");
        assertThat(ReservedPorts.merged(all, 32768, 60999)).as("nothing missing").isNull();
        assertThat(ReservedPorts.merged("8080,34000-35000", 32768, 60999)).startsWith("8080,34000-35000,").doesNotContain(",34380");
        assertThat(ReservedPorts.merged("", 61000, 61001)).isNull();
    }
}
