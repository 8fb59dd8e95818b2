package io.dbops.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * Passwords of the local stack, generated on first use and kept in {@code secrets.properties}
 * (mode 0600) in the work folder. Other code refers to them by key; they are never printed or
 * logged, and they reach the servers over stdin or JDBC, never on a command line.
 */
public final class Secrets {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private final Path file;
    private final Properties values = new Properties();

    private Secrets(Path file) {
        this.file = file;
    }

    public static synchronized Secrets load(Path workDir) {
        Secrets s = new Secrets(workDir.resolve("secrets.properties"));
        if (Files.exists(s.file)) {
            try (Reader r = Files.newBufferedReader(s.file)) {
                s.values.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    /** The secret under {@code key}, generated and saved the first time it is asked for. */
    public synchronized String get(String key) {
        String v = values.getProperty(key);
        if (v == null) {
            SecureRandom random = new SecureRandom();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            v = sb.toString();
            values.setProperty(key, v);
            save();
        }
        return v;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer w = Files.newBufferedWriter(file)) {
                values.store(w, "dbops local stack secrets: do not share, do not commit");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
