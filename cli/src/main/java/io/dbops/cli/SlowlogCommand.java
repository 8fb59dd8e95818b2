package io.dbops.cli;

import io.dbops.sql.Digest;
import io.dbops.sql.DigestJson;
import io.dbops.sql.DigestReport;
import io.dbops.sql.Fingerprinter;
import io.dbops.sql.ParallelDigest;
import io.dbops.sql.ParseProblem;
import io.dbops.sql.QueryClass;
import io.dbops.sql.SlowLogParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "slowlog", description = "Slow-query log analysis.", subcommands = {SlowlogCommand.DigestCommand.class, SlowlogCommand.GenerateCommand.class})
final class SlowlogCommand {

    @Command(name = "digest", description = "Digest slow logs like pt-query-digest: the same fingerprints, query ids "
            + "and statistics. FILE may be - (stdin) or gzip-compressed.")
    static final class DigestCommand implements Callable<Integer> {
        enum Output { json, report }

        enum Mode { pt, strict }

        /** The defaults, shared by the options and by {@link #quick}. */
        static final String DEFAULT_OUTPUT = "report";
        static final String DEFAULT_LIMIT = "95%:20";
        static final String DEFAULT_MODE = "pt";

        @Option(names = "--output", defaultValue = DEFAULT_OUTPUT, description = "json (pt-query-digest --output json shape) or report (default: ${DEFAULT-VALUE}).")
        Output output;

        @Option(names = "--limit", defaultValue = DEFAULT_LIMIT, description = "Classes to show: N, P% of total response time, or P%:N (default: ${DEFAULT-VALUE}).")
        String limit;

        @Option(names = "--fingerprint", defaultValue = DEFAULT_MODE, description = "pt (identical to pt-query-digest 3.2.1) or strict (fixes pt's known flaws; ids differ) (default: ${DEFAULT-VALUE}).")
        Mode mode;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Slow logs to read, - for stdin.")
        List<String> files;

        /**
         * The command read from a plain command line without picocli, whose start-up (it inspects the annotations
         * of every option) is a tenth of a second on a digest timed end to end against pt-query-digest. Only the
         * forms that cannot mean anything else are read here: null for anything else (help, a bad or unknown
         * option), which picocli then reads and reports as usual.
         */
        static DigestCommand quick(String[] args) {
            DigestCommand c = new DigestCommand();
            c.output = Output.valueOf(DEFAULT_OUTPUT);
            c.limit = DEFAULT_LIMIT;
            c.mode = Mode.valueOf(DEFAULT_MODE);
            c.files = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("-") || a.equals("-")) {
                    c.files.add(a);
                    continue;
                }
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                String value = eq >= 0 ? a.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
                if (value == null) {
                    return null;
                }
                switch (name) {
                    case "--output" -> c.output = enumValue(Output.class, value);
                    case "--fingerprint" -> c.mode = enumValue(Mode.class, value);
                    case "--limit" -> c.limit = value;
                    default -> {
                        return null;
                    }
                }
                if (c.output == null || c.mode == null) {
                    return null;
                }
            }
            return c.files.isEmpty() ? null : c;
        }

        private static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(value)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public Integer call() {
            PrintStream err = System.err;
            Timing timing = Timing.fromEnv();
            Digest digest = new Digest(new Fingerprinter(mode == Mode.strict ? Fingerprinter.Mode.STRICT : Fingerprinter.Mode.PT));
            List<DigestJson.FileInfo> infos = new ArrayList<>();
            int unreadable = 0;
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "fingerprint");
                t.setDaemon(true);
                return t;
            });
            for (String name : files) {
                try {
                    long problemCount;
                    List<ParseProblem> problems;
                    if (name.equals("-")) {
                        try (SlowLogParser parser = new SlowLogParser(SlowLogParser.maybeGunzip(System.in))) {
                            digest.addAll(parser, pool, threads);
                            problemCount = parser.problemCount();
                            problems = parser.problems();
                        }
                        infos.add(new DigestJson.FileInfo(name, 0));
                    } else {
                        Path file = Path.of(name);
                        if (Files.isDirectory(file)) {
                            throw new IOException(name + " is a directory, not a slow log");
                        }
                        ParallelDigest.Result r = ParallelDigest.digest(file, digest, pool, threads);
                        problemCount = r.problemCount();
                        problems = r.problems();
                        infos.add(new DigestJson.FileInfo(name, Files.size(file)));
                    }
                    if (problemCount > 0) {
                        err.println(name + ": " + problemCount + " unreadable entries (kept going):");
                        for (ParseProblem p : problems.subList(0, Math.min(10, problems.size()))) {
                            err.println("  " + name + ": " + p);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // a missing file, a directory, a corrupt gzip: reported, and the other files are still read
                    unreadable++;
                    err.println(name + ": cannot read: " + e.getMessage() + " (entries read before the error are kept)");
                }
            }
            timing.mark("digested");
            if (digest.invalidQueryTimes() > 0) {
                err.println(digest.invalidQueryTimes() + " entries had a Query_time that is not a number; they are counted but not ranked");
            }
            List<QueryClass> top;
            try {
                top = digest.top(limit);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            timing.mark("ranked");
            java.io.OutputStream stdout = new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
            try {
                if (output == Output.json) {
                    DigestJson.write(digest, top, infos, stdout, pool, threads);
                    stdout.write('\n');
                } else {
                    stdout.write(DigestReport.render(digest, top).getBytes(StandardCharsets.UTF_8));
                }
                stdout.flush();
                timing.mark("written");
            } catch (IOException e) {
                err.println("cannot write the digest: " + e.getMessage());
                return 1;
            }
            return unreadable == 0 ? 0 : 1;
        }
    }

    @Command(name = "generate", description = "Write a realistic generated slow log to stdout (many query shapes, "
            + "long-tailed times), for trying the digest or comparing it with pt-query-digest. Seeded: repeatable.")
    static final class GenerateCommand implements Callable<Integer> {
        @Option(names = "--entries", defaultValue = "10000", description = "Entries to write (default: ${DEFAULT-VALUE}).")
        int entries;

        @Option(names = "--format", defaultValue = "MYSQL8", description = "MYSQL8 or MARIADB headers (default: ${DEFAULT-VALUE}).")
        io.dbops.sql.SlowLogGenerator.Format format;

        @Option(names = "--seed", defaultValue = "20251125", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws IOException {
            if (entries < 0) {
                System.err.println("--entries must be 0 or more, got " + entries);
                return 2;
            }
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                    new java.io.FileOutputStream(java.io.FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
            new io.dbops.sql.SlowLogGenerator(format, seed).write(w, entries);
            w.flush();
            return 0;
        }
    }
}
