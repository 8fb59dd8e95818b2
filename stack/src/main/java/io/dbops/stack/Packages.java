package io.dbops.stack;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian packages the stack and the tests need. Missing ones are installed when running as root
 * (printing what is installed); otherwise the exact command to run is reported.
 */
public final class Packages {
    /** What {@code ./dbops up} runs: the demo fleet, the metadata DB and the time-series store. */
    public static final List<String> STACK = List.of(
            "mariadb-server", "mariadb-client", "mariadb-backup", "redis-server", "redis-sentinel", "victoria-metrics",
            // the action service's provisioning playbooks
            "ansible-core");

    private Packages() {
    }

    public static List<String> missing(List<String> packages) {
        List<String> missing = new ArrayList<>();
        for (String p : packages) {
            Shell.Result r = Shell.run(List.of("dpkg-query", "-W", "-f=${Status}", p), null, 30);
            if (!r.ok() || !r.output().contains("install ok installed")) {
                missing.add(p);
            }
        }
        return missing;
    }

    /** Installs what is missing, or fails with the apt command to run when not root. */
    public static void ensure(List<String> packages, PrintStream out) {
        List<String> missing = missing(packages);
        if (missing.isEmpty()) {
            return;
        }
        String list = String.join(" ", missing);
        if (!isRoot()) {
            throw new StackException("missing Debian packages: " + list + "\nrun as root: apt-get update && apt-get install -y "
                    + list + "\n(or run this command as root and it installs them itself)");
        }
        out.println("installing Debian packages: " + list);
        Shell.check("apt-get update", List.of("apt-get", "update", "-q"), null, 600);
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        cmd.addAll(missing);
        Shell.check("apt-get install " + list, cmd, null, 1800);
        List<String> still = missing(missing);
        if (!still.isEmpty()) {
            throw new StackException("apt-get finished but these packages are still not installed: " + String.join(" ", still));
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
