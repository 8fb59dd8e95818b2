package io.dbops.cli;

import io.dbops.events.Alarm;
import io.dbops.events.AlarmStatus;
import io.dbops.events.Engine;
import io.dbops.events.EventCodec;
import io.dbops.events.InstanceRef;
import io.dbops.events.Severity;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.merge.MergeJob;
import io.dbops.flinkjobs.merge.MergeOperator;
import io.dbops.flinkjobs.merge.TopologySource;
import io.dbops.mlmodels.merge.StormGenerator;
import io.dbops.mlmodels.merge.Topology;
import io.dbops.stack.LocalStack;
import io.dbops.stack.StackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The merge job's throughput: a large generated storm (a fleet of 4 dcs) written to
 * {@code dbops.alarms} as alarm events (each firing, then resolving 2-10 minutes later), then replayed through the Flink merge job on a MiniCluster
 * (parallelism 2), job start included, incidents committed to {@code dbops.incidents}.
 */
final class MergeJobBench {
    /**
     * Alarm events replayed, seconds from job submission to its end, and the sustained rate: alarm
     * events per second between the moments the committed incidents show 10% and 90% of the input
     * processed (job start and JIT warm-up excluded).
     */
    record Result(long alarms, double seconds, double sustainedPerSecond) {
    }

    private MergeJobBench() {
    }

    static Result run(double faultsPerHour, int days) throws Exception {
        // a day of a large fleet (4 dcs, 400 hosts, 550 replica sets) at the given fault rate, ten times as many background
        // alarms, and flapping ones
        StormGenerator.Output storm = StormGenerator.generate(new StormGenerator.Settings(9001, 4, 10, 10, 300, 150, 100, faultsPerHour,
                faultsPerHour * 10, faultsPerHour, days * 24 * 3_600_000L));
        Path work = Files.createTempDirectory("dbops-bench-merge-");
        LocalStack stack = new LocalStack(new StackConfig(work, 5000), new PrintStream(new ByteArrayOutputStream()), false);
        try {
            stack.up();
            long base = System.currentTimeMillis() - days * 24 * 3_600_000L;
            Topology t = storm.topology();
            java.util.Random r = new java.util.Random(5);
            java.util.List<Alarm> events = new java.util.ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = BenchJobs.producer(stack.kafkaBootstrap(), 5)) {
                for (StormGenerator.Alarm a : storm.alarms()) {
                    InstanceRef ref = null;
                    if (a.instance() != null) {
                        Topology.Instance i = t.instances().get(a.instance());
                        ref = new InstanceRef(i.id(), Engine.valueOf(i.engine().toUpperCase(Locale.ROOT)), i.cluster(), i.host(), i.port(),
                                i.business());
                    }
                    Instant at = Instant.ofEpochMilli(base + a.ts());
                    Severity severity = Severity.valueOf(a.severity().toUpperCase(Locale.ROOT));
                    events.add(new Alarm(Alarm.SCHEMA, at, a.id(), AlarmStatus.FIRING, a.type(), severity, ref,
                            ref == null ? a.host() : ref.host(), "bench/" + a.type(), a.type(), null, null, null, at, null));
                    // and, as in life, each resolves a few minutes later
                    Instant end = at.plusMillis(120_000 + r.nextInt(480_000));
                    events.add(new Alarm(Alarm.SCHEMA, end, a.id(), AlarmStatus.RESOLVED, a.type(), severity, ref,
                            ref == null ? a.host() : ref.host(), "bench/" + a.type(), a.type(), null, null, null, at, end));
                }
                events.sort(java.util.Comparator.comparing(Alarm::time));
                for (Alarm e : events) {
                    producer.send(new ProducerRecord<>(Topic.ALARMS.topicName(), e.instance() == null ? e.host() : e.instance().id(),
                            EventCodec.toBytes(e)));
                }
                producer.flush();
            }
            String topologyJson;
            Path file = work.resolve("topology.json");
            io.dbops.mlmodels.merge.AlarmFiles.writeTopology(file, t);
            topologyJson = Files.readString(file);
            StreamExecutionEnvironment env = BenchJobs.env(work);
            env.enableCheckpointing(1000);
            long t0 = System.nanoTime();
            // days replay in seconds (a second of the replay is hours of alarms): the processing-time waits shrink with it, else
            // incidents would stay open for hours of alarms and the state, which every checkpoint writes, would hold them all.
            // Quiet 100 ms is still five times longer than 5 minutes at the replay's speed: the state is if anything larger than
            // in production, never smaller.
            MergeOperator.Settings d = MergeOperator.Settings.defaults();
            MergeOperator.Settings scaled = new MergeOperator.Settings(50, 50, 100, d.clusterer(), d.scales(), d.history());
            MergeJob.build(env, stack.kafkaBootstrap(), TopologySource.fixed(topologyJson), scaled, true);
            env.execute("bench merge job");
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(events.size(), seconds, sustained(stack.kafkaBootstrap(), events));
        } finally {
            stack.discard();
        }
    }

    /**
     * The processing rate in the middle of the run, read from the committed incidents: each is
     * stamped with the processing time it was made at and names its alarms, whose positions in the
     * input say how far the job had read by then.
     */
    static double sustained(String bootstrap, java.util.List<Alarm> events) {
        java.util.Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            position.putIfAbsent(events.get(i).id(), i);
        }
        java.util.TreeMap<Long, Long> progress = new java.util.TreeMap<>();
        try (var consumer = BenchJobs.committedReader(bootstrap, Topic.INCIDENTS.topicName(), "earliest")) {
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(java.time.Duration.ofMillis(1000));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (var r : records) {
                    io.dbops.events.Incident inc = EventCodec.fromBytes(r.value(), io.dbops.events.Incident.class);
                    int read = 0;
                    for (String id : inc.alarmIds()) {
                        read = Math.max(read, position.getOrDefault(id, 0));
                    }
                    progress.merge(inc.time().toEpochMilli(), (long) read, Math::max);
                }
            }
        }
        return BenchJobs.sustainedRate(progress, events.size());
    }
}
