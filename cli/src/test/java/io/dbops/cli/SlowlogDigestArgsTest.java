package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The picocli-free reading of {@code slowlog digest} must agree with picocli's, or hand the line to picocli. */
class SlowlogDigestArgsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "slow.log",
        "a.log b.log.gz -",
        "--output json slow.log",
        "--output=json --limit 100% slow.log",
        "slow.log --limit 95%:20 --fingerprint strict",
        "--fingerprint=pt --output report -",
    })
    void readsWhatPicocliReadsTheSameWay(String line) {
        String[] args = line.split(" ");
        SlowlogCommand.DigestCommand quick = SlowlogCommand.DigestCommand.quick(args);
        SlowlogCommand.DigestCommand picocli = new SlowlogCommand.DigestCommand();
        new CommandLine(picocli).parseArgs(args);
        assertThat(quick).isNotNull();
        assertThat(List.of(quick.output, quick.limit, quick.mode, quick.files))
                .isEqualTo(List.of(picocli.output, picocli.limit, picocli.mode, picocli.files));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h slow.log", "--output xml slow.log", "--output", "--fingerprint PT slow.log",
        "--limit", "--unknown 1 slow.log", "--output json", "-x slow.log"})
    void leavesHelpAndMistakesToPicocli(String line) {
        assertThat(SlowlogCommand.DigestCommand.quick(line.split(" "))).isNull();
    }
}
