package io.dbops.cli;

import io.dbops.cdc.BinlogCapture;
import io.dbops.cdc.BinlogReader;
import io.dbops.cdc.Flashback;
import io.dbops.cdc.KafkaBinlogSink;
import io.dbops.collectors.KafkaProducers;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code ./dbops bench binlog}: binlog capture from a cold start over a backlog of {@code rows}
 * row events (the capture's position recorded, then the rows written while it was stopped), timed
 * from the engine's start to the last change acknowledged by Kafka; then flashback of a 100k-row
 * mistake (read back from {@code dbops.binlog}, deduplicated, SQL generated).
 */
final class BinlogBench {
    record Result(long rows, double captureSeconds, double eventsPerSecond, int flashbackChanges, double flashbackSeconds) {
    }

    private BinlogBench() {
    }

    static Result run(PrintStream out, int rows) throws Exception {
        Path work = Files.createTempDirectory("dbops-bench-binlog-");
        LocalStack stack = new LocalStack(new StackConfig(work, 5000), new PrintStream(new ByteArrayOutputStream()), false);
        try {
            out.println("starting Kafka and the MariaDB set ...");
            stack.up();
            int port = stack.mariadbPorts().get(0);
            String pw = stack.secret("fleet.mariadb.admin.password");
            InstanceRef ref = new InstanceRef("demo-mariadb-1", Engine.MARIADB, LocalStack.MARIADB_CLUSTER, "local", port, LocalStack.BUSINESS_LINE);
            try (KafkaProducer<String, byte[]> producer = KafkaProducers.reliable(stack.kafkaBootstrap());
                 Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "dbops_admin", pw);
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE IF NOT EXISTS bench");
                st.execute("USE bench"); // the seq_ tables of the Sequence engine need a current database
                st.execute("CREATE TABLE bench.rows (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL)");
                AtomicLong seen = new AtomicLong();
                KafkaBinlogSink kafka = new KafkaBinlogSink(producer);
                BinlogCapture.Sink counting = batch -> {
                    kafka.publish(batch);
                    seen.addAndGet(batch.stream().filter(b -> "rows".equals(b.table()) && b.op() != io.dbops.events.BinlogOp.DDL).count());
                };
                Path state = work.resolve("cdc");
                BinlogCapture first = new BinlogCapture(target(ref, port, pw), state, counting);
                first.start();
                // the engine records its position a moment after it starts: write until a row comes through
                long until = System.currentTimeMillis() + 60_000;
                for (int k = -1; seen.get() == 0; k--) {
                    if (System.currentTimeMillis() > until) {
                        throw new IllegalStateException("the capture saw nothing in 60 s" + (first.failure() == null ? "" : ": " + first.failure()));
                    }
                    st.execute("INSERT INTO bench.rows VALUES (" + k + ", 'start', 0)");
                    Thread.sleep(300);
                }
                first.close();
                out.printf("capture position recorded; writing %,d rows while it is stopped ...%n", rows);
                for (int from = 1; from <= rows; from += 100_000) {
                    st.execute("INSERT INTO bench.rows SELECT seq, CONCAT('item ', seq), seq / 100 FROM seq_" + from + "_to_"
                            + Math.min(rows, from + 99_999));
                }
                seen.set(0);
                long t0 = System.nanoTime();
                BinlogCapture second = new BinlogCapture(target(ref, port, pw), state, counting);
                second.start();
                awaitAtLeast(seen, rows, 600);
                double captureSeconds = (System.nanoTime() - t0) / 1e9;
                out.printf("captured %,d row events in %.1f s%n", rows, captureSeconds);
                // a 100k-row mistake, undone
                Thread.sleep(1100);
                Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                st.execute("UPDATE bench.rows SET price = 0 WHERE id <= 100000");
                awaitAtLeast(seen, rows + 100_000, 300);
                Thread.sleep(1100);
                Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusMillis(1);
                second.close();
                long f0 = System.nanoTime();
                BinlogReader.Slice slice = BinlogReader.read(stack.kafkaBootstrap(), io.dbops.events.BinlogChange.stream(ref), "bench.rows", from, to);
                List<Flashback.Column> cols = BinlogReader.columns(c, "bench.rows");
                Flashback.Result r = Flashback.generate("demo-mariadb-1", "bench.rows", from, to, slice.inRange(), slice.later(), cols, false);
                double flashbackSeconds = (System.nanoTime() - f0) / 1e9;
                if (r.refused()) {
                    throw new IllegalStateException("flashback refused: " + r.problems());
                }
                return new Result(rows, captureSeconds, rows / captureSeconds, r.statements(), flashbackSeconds);
            }
        } finally {
            stack.discard();
        }
    }

    private static BinlogCapture.Target target(InstanceRef ref, int port, String pw) {
        return new BinlogCapture.Target(ref, "127.0.0.1", port, "dbops_admin", pw, 54_999);
    }

    private static void awaitAtLeast(AtomicLong n, long target, int seconds) throws InterruptedException {
        long until = System.currentTimeMillis() + seconds * 1000L;
        while (n.get() < target) {
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException("only " + n.get() + " of " + target + " changes captured in " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

}
