package io.dbops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbops.events.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The compose deployment (docs/deployment.md) stays valid and in step with the code: the file
 * passes {@code docker-compose config -q} (the Debian package; there is no Docker engine here to
 * start it), and its topic script creates exactly the catalog's topics with their partitions,
 * cleanup and retention.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theComposeFileIsValid() throws Exception {
        Path compose = ROOT.resolve("docker-compose.yml");
        assertThat(compose).exists();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")), "docker-compose is not installed (./dbops test installs it)");
        Process p = new ProcessBuilder("docker-compose", "-f", compose.toString(), "config", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void theTopicScriptCreatesTheCatalog() throws Exception {
        Map<String, List<String>> script = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/kafka/create-topics.sh"))) {
            if (line.startsWith("create dbops.")) {
                String[] f = line.trim().split("\\s+");
                script.put(f[1], List.of(f[2], f[3], f[4]));
            }
        }
        Map<String, List<String>> catalog = new TreeMap<>();
        for (Topic t : Topic.values()) {
            catalog.put(t.topicName(), List.of(Integer.toString(t.partitions()), t.configs().get("cleanup.policy"), t.configs().get("retention.ms")));
        }
        assertThat(script).isEqualTo(catalog);
    }

    @Test
    void everyServiceConfigOfTheDeploymentExists() throws Exception {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        List<String> missing = new ArrayList<>();
        for (String part : compose.split("/etc/dbops/")) {
            int end = part.indexOf(".properties");
            if (end > 0 && end < 40 && !part.startsWith("\"")) {
                String name = part.substring(0, end + ".properties".length());
                if (!Files.exists(ROOT.resolve("deploy/config").resolve(name))) {
                    missing.add(name);
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
