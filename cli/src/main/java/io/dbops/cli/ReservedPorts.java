package io.dbops.cli;

import io.dbops.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * Keeps the kernel from handing the test stacks' ports out as ephemeral ports. The integration
 * tests run stacks at fixed port offsets (0 to 11,000 above the defaults), and some of those ports
 * fall in Linux's ephemeral range (32768-60999): a client connection made a moment before could hold
 * one as its local port, and the stack then refused to start ("port 34380 (sentinel-2) is already in
 * use by another process" in a CI run). Where the kernel lets us (root, a writable /proc/sys), the
 * ports are added to {@code net.ipv4.ip_local_reserved_ports} (until the next boot; the listed ports
 * stay usable for listening, they are only never chosen for outgoing connections).
 */
final class ReservedPorts {
    private static final Path RESERVED = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The port offsets the integration tests use. */
    static final int MAX_OFFSET = 11_000;

    private ReservedPorts() {
    }

    /** Reserves what it can and says what it did (one line), or why it could not. */
    static String reserveForTests() {
        try {
            String[] range = read(RANGE).split("\\s+");
            String next = merged(read(RESERVED), Integer.parseInt(range[0]), Integer.parseInt(range[1]));
            if (next == null) {
                return "the test stacks' ports are already kept out of the ephemeral range";
            }
            Files.writeString(RESERVED, next);
            return "kept the test stacks' ports out of the ephemeral range (net.ipv4.ip_local_reserved_ports)";
        } catch (java.io.IOException | RuntimeException e) {
            return "could not keep the test stacks' ports out of the ephemeral range (" + e.getMessage()
                    + "); a test stack may rarely find one of its ports taken by a client connection";
        }
    }

    /** A /proc file's text (Files.readString goes by the file's size, which /proc reports as 0, and reads one byte). */
    private static String read(Path file) throws java.io.IOException {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
    }

    /**
     * The reserved-ports setting with every test stack port in [{@code low}, {@code high}] added to {@code existing} (the
     * kernel's comma-separated ports and ranges), or null when nothing is missing.
     */
    static String merged(String existing, int low, int high) {
        TreeSet<Integer> wanted = new TreeSet<>();
        for (int offset = 0; offset <= MAX_OFFSET; offset += 1000) {
            for (int port : StackConfig.DEFAULT_PORTS.values()) {
                if (port + offset >= low && port + offset <= high) {
                    wanted.add(port + offset);
                }
            }
        }
        if (!existing.isEmpty()) {
            for (String part : existing.split(",")) {
                String[] ends = part.trim().split("-");
                int from = Integer.parseInt(ends[0].trim());
                int to = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : from;
                wanted.removeIf(p -> p >= from && p <= to);
            }
        }
        if (wanted.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(existing);
        for (int p : wanted) {
            out.append(out.length() == 0 ? "" : ",").append(p);
        }
        return out.toString();
    }
}
