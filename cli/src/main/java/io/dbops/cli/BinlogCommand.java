package io.dbops.cli;

import io.dbops.cdc.BinlogReader;
import io.dbops.cdc.Flashback;
import io.dbops.metadata.InventoryInstance;
import io.dbops.metadata.MetadataDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Captured binlog changes (docs/binlog.md): flashback SQL for a table and a time range. */
@Command(name = "binlog", description = "Captured binlog changes (docs/binlog.md).", subcommands = {BinlogCommand.FlashbackCommand.class,
        BinlogCommand.Protect.class, BinlogCommand.Unprotect.class, BinlogCommand.ProtectedList.class})
final class BinlogCommand {
    static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile("[A-Za-z0-9_$*?]+");

    @Command(name = "protect", description = "Protect tables: the binlog job raises a critical alarm on any write to them (within 30 s).")
    static final class Protect implements Callable<Integer> {
        @Option(names = "--table", required = true, description = "db.table; * and ? match any characters and one character (shop.order*).")
        String table;

        @Option(names = "--cluster", description = "Only in this replication set.")
        String cluster;

        @Option(names = "--instance", description = "Only on this instance.")
        String instance;

        @Option(names = "--reason", required = true, description = "Why: shown in the alarm.")
        String reason;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            int dot = table.indexOf('.');
            if (dot <= 0 || !PATTERN.matcher(table.substring(0, dot)).matches() || !PATTERN.matcher(table.substring(dot + 1)).matches()) {
                System.err.println("--table must be db.table (letters, digits, _, $, * and ?), got " + table);
                return 2;
            }
            if (cluster != null && instance != null) {
                System.err.println("--cluster or --instance, not both");
                return 2;
            }
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                db.migrate();
                if (cluster != null && db.inventory().cluster(cluster).isEmpty()) {
                    System.err.println("--cluster: no replication set " + cluster + " in the inventory");
                    return 2;
                }
                if (instance != null && db.inventory().instance(instance) == null) {
                    System.err.println("--instance: no instance " + instance + " in the inventory");
                    return 2;
                }
                long id = new io.dbops.metadata.ProtectedTableStore(db.dataSource()).add(cluster, instance, table.substring(0, dot),
                        table.substring(dot + 1), reason, System.getProperty("user.name", "cli"));
                System.out.println("protected #" + id + ": " + (cluster != null ? "cluster " + cluster + " " : instance != null ? "instance " + instance + " " : "")
                        + table + " (" + reason + ")");
            }
            return 0;
        }
    }

    @Command(name = "unprotect", description = "Remove a protection by its number (./dbops binlog protected lists them).")
    static final class Unprotect implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", description = "The protection's number.")
        long id;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                if (!new io.dbops.metadata.ProtectedTableStore(db.dataSource()).remove(id)) {
                    System.err.println("no protection #" + id);
                    return 2;
                }
            }
            System.out.println("protection #" + id + " removed");
            return 0;
        }
    }

    @Command(name = "protected", description = "List the protected tables.")
    static final class ProtectedList implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                db.migrate();
                var all = new io.dbops.metadata.ProtectedTableStore(db.dataSource()).list();
                System.out.printf("%-4s %-24s %-32s %-12s %s%n", "#", "where", "table", "by", "reason");
                for (var e : all) {
                    System.out.printf("%-4d %-24s %-32s %-12s %s%n", e.id(), e.cluster() != null ? "cluster " + e.cluster()
                            : e.instance() != null ? "instance " + e.instance() : "everywhere", e.database() + "." + e.table(), e.createdBy(), e.reason());
                }
                if (all.isEmpty()) {
                    System.out.println("(none)");
                }
            }
            return 0;
        }
    }

    @Command(name = "flashback", description = "Write the SQL that undoes a table's changes over a time range, newest first, from the "
            + "captured row images; refuses (with the reason) on partial images, DDL in the range or rows changed later (unless --force).")
    static final class FlashbackCommand implements Callable<Integer> {
        @Option(names = "--instance", required = true, description = "The instance the changes were made on.")
        String instance;

        @Option(names = "--table", required = true, description = "db.table")
        String table;

        @Option(names = "--from", required = true, description = "Start of the range, ISO-8601 (2026-11-25T10:02:00Z).")
        String from;

        @Option(names = "--to", required = true, description = "End of the range, ISO-8601, inclusive.")
        String to;

        @Option(names = "--out", description = "Write the script here (default: standard output).")
        Path out;

        @Option(names = "--force", description = "Generate even when later changes touched the same rows (the header lists them).")
        boolean force;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            Instant t1;
            Instant t2;
            try {
                t1 = Instant.parse(from);
                t2 = Instant.parse(to);
            } catch (DateTimeParseException e) {
                System.err.println("--from and --to are ISO-8601 instants such as 2026-11-25T10:02:00Z: " + e.getParsedString());
                return 2;
            }
            if (!t1.isBefore(t2) || !table.matches("[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+")) {
                System.err.println(!t1.isBefore(t2) ? "--from must be before --to" : "--table must be db.table, got " + table);
                return 2;
            }
            var local = stack.stack();
            InventoryInstance i;
            String address;
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                i = db.inventory().instance(instance);
                if (i == null) {
                    System.err.println("no instance " + instance + " in the inventory");
                    return 2;
                }
                address = db.inventory().serverAddresses().getOrDefault(i.server(), i.server());
            }
            List<Flashback.Column> columns;
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + address + ":" + i.port() + "/", "dbops_admin",
                    local.secret("fleet.mariadb.admin.password"))) {
                columns = BinlogReader.columns(c, table);
            }
            long t0 = System.nanoTime();
            BinlogReader.Slice slice = BinlogReader.read(local.kafkaBootstrap(), io.dbops.events.BinlogChange.stream(i.ref()), table, t1, t2);
            if (slice.inRange().isEmpty()) {
                System.err.println("no captured changes of " + table + " on " + instance + " from " + t1 + " to " + t2
                        + " (is the binlog collector capturing it? ./dbops status)");
                return 1;
            }
            Flashback.Result r = Flashback.generate(instance, table, t1, t2, slice.inRange(), slice.later(), columns, force);
            if (r.refused()) {
                System.err.println("no flashback generated:");
                r.problems().forEach(p -> System.err.println("  " + p));
                return 2;
            }
            if (out != null) {
                Files.writeString(out, r.sql());
            } else {
                System.out.print(r.sql());
            }
            System.err.printf("%d statements undo %d changes of %s (%.1f s)%s%n", r.statements(), slice.inRange().size(), table,
                    (System.nanoTime() - t0) / 1e9, out == null ? "" : "; written to " + out);
            return 0;
        }
    }
}
