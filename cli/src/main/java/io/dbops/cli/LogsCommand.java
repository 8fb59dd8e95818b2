package io.dbops.cli;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print the end of a component's log (kafka, metadata-db, mariadb-1, redis-1, sentinel-1, victoria-metrics...).")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Parameters(paramLabel = "COMPONENT", description = "Component name, as status lists it.")
    String component;

    @Option(names = {"-n", "--lines"}, defaultValue = "50", description = "Lines to print (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        Path log = options.stack().logFile(component);
        if (!Files.exists(log)) {
            System.err.println("no log yet for " + component + " (" + log + "): it has never been started");
            return 1;
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        if (follow) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                f.seek(f.length());
                while (!Thread.currentThread().isInterrupted()) {
                    String line = f.readLine();
                    if (line == null) {
                        Thread.sleep(200);
                    } else {
                        System.out.println(new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return 0;
    }
}
