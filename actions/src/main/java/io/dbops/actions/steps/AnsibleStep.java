package io.dbops.actions.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ansible} step type: runs one of the playbooks shipped in the service
 * ({@code resources/ansible}) with {@code ansible-playbook}, on an inventory generated from the
 * metadata DB's servers ({@code connection: local} for this host's addresses, SSH elsewhere).
 * Variables (secrets included) reach Ansible in a private file, never on the command line; the
 * dbops JSON-lines callback turns every task and result into a line of the run's log as it happens.
 */
public final class AnsibleStep {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnsibleStep() {
    }

    /** Runs {@code playbook} (a file name under resources/ansible) against {@code hosts} (name to address). */
    public static void run(StepContext ctx, String playbook, Map<String, String> hosts, Map<String, Object> vars, Duration timeout)
            throws Exception {
        Path dir = Files.createTempDirectory("dbops-ansible-");
        try {
            copy("/ansible/" + playbook, dir.resolve(playbook));
            copy("/ansible/callback_plugins/dbops_jsonl.py", dir.resolve("callback_plugins/dbops_jsonl.py"));
            StringBuilder inv = new StringBuilder("[all]\n");
            for (var h : hosts.entrySet()) {
                inv.append(h.getKey()).append(" ansible_host=").append(h.getValue())
                        .append(isLocal(h.getValue()) ? " ansible_connection=local" : " ansible_connection=ssh")
                        .append(" ansible_python_interpreter=/usr/bin/python3\n");
            }
            Files.writeString(dir.resolve("inventory.ini"), inv);
            Path varsFile = dir.resolve("vars.json");
            Files.createFile(varsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(varsFile, JSON.writeValueAsString(vars));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("ANSIBLE_CALLBACK_PLUGINS", dir.resolve("callback_plugins").toString());
            env.put("ANSIBLE_STDOUT_CALLBACK", "dbops_jsonl");
            env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
            env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
            env.put("ANSIBLE_NOCOLOR", "1");
            env.put("ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-local").toString());
            env.put("ANSIBLE_REMOTE_TEMP", dir.resolve(".ansible-remote").toString());
            env.put("HOME", dir.toString());
            ShellStep.run(ctx, List.of("ansible-playbook", "-i", dir.resolve("inventory.ini").toString(), dir.resolve(playbook).toString(),
                    "-e", "@" + varsFile), dir, env, timeout, null, AnsibleStep::format);
        } catch (java.io.IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("ansible-playbook")) {
                throw StepFailure.fatal("ansible-playbook is not installed on the action service's host (Debian package ansible-core)");
            }
            throw e;
        } finally {
            io.dbops.actions.backup.Files2.deleteTree(dir);
        }
    }

    /** A JSON line of the callback as a log line: "TASK name", "changed host: task", "FAILED host: task: msg". */
    static String format(String line) {
        if (!line.startsWith("{")) {
            return line.isBlank() ? null : line;
        }
        try {
            JsonNode n = JSON.readTree(line);
            return switch (n.path("event").asText()) {
                case "play" -> "PLAY " + n.path("name").asText();
                case "task" -> "TASK " + n.path("name").asText();
                case "result" -> {
                    String status = n.path("status").asText();
                    String head = (status.equals("ok") && n.path("changed").asBoolean() ? "changed" : status) + " " + n.path("host").asText()
                            + ": " + n.path("task").asText();
                    String msg = n.path("msg").isNull() || n.path("msg").isMissingNode() ? "" : n.path("msg").asText();
                    String err = n.path("stderr").asText("");
                    yield status.equals("failed") || status.equals("unreachable")
                            ? "FAILED " + head + (msg.isEmpty() ? "" : ": " + msg) + (err.isEmpty() ? "" : " (" + err.strip() + ")")
                            : head;
                }
                case "stats" -> "RECAP " + n.path("hosts").toString();
                default -> line;
            };
        } catch (IOException e) {
            return line;
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = AnsibleStep.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no Ansible resource " + resource + " in this build");
            }
            Files.copy(in, to);
        }
    }

    /** Whether an address is this host (loopback or one of its interfaces). */
    public static boolean isLocal(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
