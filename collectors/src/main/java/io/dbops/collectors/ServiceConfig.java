package io.dbops.collectors;

import io.dbops.metadata.MetadataDb;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The config file of a collector process: loaded, checked against its documented keys with every
 * problem listed at once (the process then exits 2), and the shared pieces every collector needs:
 * the metadata DB, whose password is read from the secrets file by key, never from the config.
 */
public final class ServiceConfig {
    /** Keys every collector that reads the inventory takes. */
    public static final List<String> METADATA_KEYS = List.of("kafka.bootstrap", "metadata.url", "metadata.user",
            "metadata.password.secret", "secrets.file");

    private final String service;
    private final Properties props;

    private ServiceConfig(String service, Properties props) {
        this.service = service;
        this.props = props;
    }

    /** Reads {@code args[0]}; on a usage error or any config problem prints them all and exits 2. */
    public static ServiceConfig loadOrExit(String service, String[] args, List<String> required, List<String> optional,
                                           List<String> numeric) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: " + service + " CONFIG_FILE");
            System.exit(2);
        }
        Properties p = load(Path.of(args[0]));
        List<String> problems = problems(p, required, optional, numeric);
        if (!problems.isEmpty()) {
            System.err.println(service + ": bad config " + args[0] + ":\n  " + String.join("\n  ", problems));
            System.exit(2);
        }
        return new ServiceConfig(service, p);
    }

    /** Missing required keys, unknown keys and non-numbers where numbers belong, all of them. */
    public static List<String> problems(Properties p, List<String> required, List<String> optional, List<String> numeric) {
        List<String> problems = new ArrayList<>();
        for (String key : required) {
            if (p.getProperty(key) == null || p.getProperty(key).isBlank()) {
                problems.add("missing required key " + key);
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (!required.contains(key) && !optional.contains(key)) {
                problems.add("unknown key " + key + " (known: " + String.join(", ", required) + ", " + String.join(", ", optional) + ")");
            }
        }
        for (String key : numeric) {
            String v = p.getProperty(key);
            if (v != null && !v.trim().matches("\\d+(\\.\\d+)?")) {
                problems.add(key + " must be a non-negative number, got '" + v + "'");
            }
        }
        return problems;
    }

    public String get(String key) {
        return props.getProperty(key);
    }

    public long number(String key, long fallback) {
        String v = props.getProperty(key);
        return v == null ? fallback : Long.parseLong(v.trim());
    }

    public double decimal(String key, double fallback) {
        String v = props.getProperty(key);
        return v == null ? fallback : Double.parseDouble(v.trim());
    }

    public Path healthFile() {
        return props.getProperty("health.file") == null ? null : Path.of(props.getProperty("health.file"));
    }

    public Properties secrets() throws IOException {
        return load(Path.of(props.getProperty("secrets.file")));
    }

    /** The metadata DB; exits 2 naming the secret when the secrets file lacks it. */
    public MetadataDb metadataOrExit() throws IOException {
        return metadataOrExit(4);
    }

    /** The metadata DB with a pool of {@code poolSize} connections. */
    public MetadataDb metadataOrExit(int poolSize) throws IOException {
        String key = props.getProperty("metadata.password.secret");
        String password = secrets().getProperty(key);
        if (password == null) {
            System.err.println(service + ": secret '" + key + "' not in " + props.getProperty("secrets.file"));
            System.exit(2);
        }
        return MetadataDb.connect(props.getProperty("metadata.url"), props.getProperty("metadata.user"), password, poolSize);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
