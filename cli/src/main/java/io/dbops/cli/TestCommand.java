package io.dbops.cli;

import io.dbops.stack.Packages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "test", description = "Install what the tests need, then run every unit test and integration test (*IT, "
        + "against real servers) with Maven. Extra arguments go to Maven, e.g. ./dbops test -pl events.")
final class TestCommand implements Callable<Integer> {
    /** Servers the integration tests start themselves, pt-query-digest (the reference they are compared with), the headless browser of the dashboard tests and docker-compose (it validates docker-compose.yml). */
    static final List<String> PACKAGES = java.util.stream.Stream.concat(Packages.STACK.stream(),
            java.util.stream.Stream.of("percona-toolkit", "chromium", "chromium-driver", "docker-compose")).toList();

    @Parameters(paramLabel = "MAVEN_ARG", arity = "0..*", description = "Extra Maven arguments.")
    List<String> mavenArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Packages.ensure(PACKAGES, System.out);
        System.out.println(ReservedPorts.reserveForTests());
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-ntp", "verify"));
        cmd.addAll(mavenArgs);
        System.out.println("running: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).directory(StackOptions.home().toFile()).inheritIO().start();
        int code = p.waitFor();
        System.out.println(code == 0 ? "all tests passed" : "tests FAILED (maven exit " + code + ")");
        return code;
    }
}
