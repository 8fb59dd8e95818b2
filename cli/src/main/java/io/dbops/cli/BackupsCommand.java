package io.dbops.cli;

import io.dbops.actions.backup.BackupCatalog;
import io.dbops.actions.backup.Cron;
import io.dbops.actions.run.Param;
import io.dbops.metadata.MetadataDb;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The backup catalog and schedules; backups themselves are playbooks (./dbops actions request mariadb_backup ...). */
@Command(name = "backups", description = "Backup catalog and schedules (docs/actions.md).",
        subcommands = {BackupsCommand.ListBackups.class, BackupsCommand.Schedule.class, BackupsCommand.Schedules.class})
final class BackupsCommand {

    @Command(name = "list", description = "Catalogued backups, newest first.")
    static final class ListBackups implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--instance")
        String instance;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                System.out.printf("%-20s %-18s %-9s %12s %8s %-8s %-22s %s%n", "BACKUP", "INSTANCE", "KIND", "BYTES", "SECONDS", "VERIFIED",
                        "FINISHED", "POSITION");
                for (BackupCatalog.Entry e : new BackupCatalog(db.dataSource()).list(instance)) {
                    System.out.printf("%-20s %-18s %-9s %12d %8.1f %-8s %-22s %s%s%n", e.id(), e.instance(), e.kind(), e.sizeBytes(),
                            e.durationMs() / 1000.0, e.verified() == null ? "-" : e.verified(), e.finishedAt(), e.position(),
                            e.deletedAt() != null ? " (deleted)" : "");
                }
            }
            return 0;
        }
    }

    @Command(name = "schedule", description = "Schedule backups of an instance, or of one member of each cluster of a business line.")
    static final class Schedule implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Option(names = "--instance")
        String instance;

        @Option(names = "--business-line")
        String businessLine;

        @Option(names = "--cron", required = true, description = "minute hour day-of-month month day-of-week, UTC, e.g. '0 2 * * *'.")
        String cron;

        @Option(names = "--kind", defaultValue = "logical", description = "logical or physical for MySQL/MariaDB (Redis: rdb); default ${DEFAULT-VALUE}.")
        String kind;

        @Option(names = "--retention", defaultValue = "7d")
        String retention;

        @Option(names = "--as", required = true)
        String user;

        @Override
        public Integer call() throws Exception {
            StringBuilder problems = new StringBuilder();
            if ((instance == null) == (businessLine == null)) {
                problems.append("\n  give --instance or --business-line (one of them)");
            }
            try {
                Cron.parse(cron);
            } catch (IllegalArgumentException e) {
                problems.append("\n  --cron: ").append(e.getMessage());
            }
            if (!List.of("logical", "physical", "rdb").contains(kind)) {
                problems.append("\n  --kind must be logical, physical or rdb, got '").append(kind).append("'");
            }
            if (Param.parseDuration(retention) == null) {
                problems.append("\n  --retention must be a duration such as 7d, got '").append(retention).append("'");
            }
            if (problems.length() > 0) {
                System.err.println("backups schedule:" + problems);
                return 2;
            }
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                long id = new BackupCatalog(db.dataSource()).addSchedule(instance, businessLine, cron, kind, retention, user);
                System.out.println("schedule " + id + ": " + cron + " " + kind + " backups of " + (instance != null ? instance
                        : "business line " + businessLine) + ", kept " + retention + "; the action service starts them");
            }
            return 0;
        }
    }

    @Command(name = "schedules", description = "The backup schedules.")
    static final class Schedules implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            try (MetadataDb db = RunsCommand.metadata(stack)) {
                for (BackupCatalog.Schedule s : new BackupCatalog(db.dataSource()).schedules()) {
                    System.out.println(s.id() + "  " + s.cron() + "  " + s.kind() + "  " + (s.instance() != null ? s.instance()
                            : "business line " + s.businessLine()) + "  kept " + s.retention());
                }
            }
            return 0;
        }
    }
}
