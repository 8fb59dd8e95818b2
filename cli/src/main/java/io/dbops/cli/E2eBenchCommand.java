package io.dbops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "e2e", description = "The whole platform under a simulated fleet of 1,000 instances with slow-log and binlog load "
        + "and alarm storms (servers and racks dying), once on Flink MiniClusters and once on a Flink session cluster: throughput per "
        + "stage, alarm and incident latency, lost and duplicated events, CPU and memory per component (docs/e2e.md).")
final class E2eBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--instances", defaultValue = "1000", description = "Simulated instances, 4 per server (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--seconds", defaultValue = "150", description = "Length of the measured run per mode (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--storm-every", defaultValue = "30", description = "Seconds between faults; they alternate one server and one rack (default: ${DEFAULT-VALUE}).")
    int stormEvery;

    @Option(names = "--down-seconds", defaultValue = "20", description = "How long a dead server or rack stays dead (default: ${DEFAULT-VALUE}).")
    int downSeconds;

    @Option(names = "--slowlog-rate", defaultValue = "500", description = "Slow-log entries per second (default: ${DEFAULT-VALUE}).")
    int slowRate;

    @Option(names = "--binlog-rate", defaultValue = "500", description = "Binlog row events per second (default: ${DEFAULT-VALUE}).")
    int binlogRate;

    @Option(names = "--liveness-ms", defaultValue = "5000", description = "The collector's liveness check per instance, ms (default: "
            + "${DEFAULT-VALUE}; the platform's default is 1000, which through the forwarders to three real servers loads this machine "
            + "far more than 1,000 hosts would).")
    int livenessMs;

    @Option(names = "--modes", defaultValue = "minicluster,cluster", split = ",",
            description = "minicluster (the default platform), cluster (--flink-cluster), chaos (3 Kafka brokers and the Flink "
                    + "session cluster, killing a broker, a TaskManager, the JobManager, the metrics collector and the action service in turn) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--json", description = "Print the result as one JSON line at the end.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        for (String m : modes) {
            if (!List.of("minicluster", "cluster", "chaos").contains(m)) {
                System.err.println("--modes: unknown mode '" + m + "' (minicluster, cluster, chaos)");
                return 2;
            }
        }
        E2eBench.Settings s = new E2eBench.Settings(instances, seconds, stormEvery, downSeconds, slowRate, binlogRate, livenessMs, 29000, 5000); // below the ephemeral range, clear of the stack's ports at offset 5000
        List<E2eBench.Result> results = new ArrayList<>();
        for (String m : modes) {
            results.add(E2eBench.run(m, s, System.out));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "end-to-end, %d cores: %d simulated instances (metrics polled every 10 s, liveness every %d ms), "
                + "%d slow-log entries/s, %d binlog row events/s, a fault every %d s (server and rack in turn, %d s down)%n",
                cores, instances, livenessMs, slowRate, binlogRate, stormEvery, downSeconds);
        System.out.printf(Locale.ROOT, "%-44s", "measure");
        results.forEach(r -> System.out.printf(Locale.ROOT, " %14s", r.mode()));
        System.out.println();
        row(results, "faults (servers / racks killed)", r -> String.valueOf(r.faults()));
        row(results, "down alarms expected", r -> String.valueOf(r.expectedAlarms()));
        row(results, "  lost", r -> String.valueOf(r.lostAlarms()));
        row(results, "  duplicated", r -> String.valueOf(r.duplicatedAlarms()));
        row(results, "  never resolved after the fault", r -> String.valueOf(r.missingResolves()));
        row(results, "down alarms on instances no fault touched", r -> String.valueOf(r.falseDowns()));
        row(results, "fault -> alarm committed p50 / p99 ms", r -> E2eBench.pct(r.alarmLatencies(), 0.5) + " / " + E2eBench.pct(r.alarmLatencies(), 0.99));
        row(results, "  fault -> failing sample p50 / p99 ms", r -> E2eBench.pct(r.detection(), 0.5) + " / " + E2eBench.pct(r.detection(), 0.99));
        row(results, "  sample -> alarm committed p50 / p99 ms", r -> E2eBench.pct(r.pipeline(), 0.5) + " / " + E2eBench.pct(r.pipeline(), 0.99));
        row(results, "fault -> incident committed p50 / p99 ms", r -> E2eBench.pct(r.incidentLatencies(), 0.5) + " / "
                + E2eBench.pct(r.incidentLatencies(), 0.99));
        row(results, "incidents per fault", r -> String.format(Locale.ROOT, "%.2f", r.incidentsPerFault()));
        row(results, "alarms missing from incidents", r -> String.valueOf(r.lostFromIncidents()));
        row(results, "incident events duplicated", r -> String.valueOf(r.duplicatedIncidentEvents()));
        row(results, "playbook runs / started twice", r -> r.runs() + " / " + r.repeatedRuns());
        for (String topic : results.get(0).producedPerS().keySet()) {
            if (results.stream().anyMatch(r -> r.producedPerS().getOrDefault(topic, 0.0) >= 0.05)) {
                row(results, "produced/s " + topic, r -> String.format(Locale.ROOT, "%.0f", r.producedPerS().getOrDefault(topic, 0.0)));
            }
        }
        List<String> stageNames = results.get(0).stages().stream().map(st -> st.group() + " <- " + st.topic()).toList();
        for (String name : stageNames) {
            row(results, "consumed/s, lag " + name, r -> r.stages().stream().filter(st -> (st.group() + " <- " + st.topic()).equals(name))
                    .findFirst().map(st -> String.format(Locale.ROOT, "%.0f, %d", st.consumedPerS(), st.lagEnd())).orElse("-"));
        }
        for (E2eBench.Result r : results) {
            System.out.printf(Locale.ROOT, "[%s] CPU cores / RSS MB per component:", r.mode());
            r.usage().forEach(u -> System.out.printf(Locale.ROOT, " %s %.2f/%d;", u.component(), u.cores(), u.rssMb()));
            System.out.println();
            System.out.printf(Locale.ROOT, "[%s] saturation: %s%n", r.mode(), r.saturation());
            for (E2eBench.FaultOutcome f : r.outcomes()) {
                System.out.printf(Locale.ROOT, "[%s] fault %d (%s, %d instances%s): sampled failing %d/%d, alarms %d/%d, last alarm %d ms, "
                                + "incident %d ms, run %d ms%s%n",
                        r.mode(), f.n(), f.kind(), f.instances(), f.killed() == null ? "" : ", with kill -9 of " + f.killed(), f.observed(),
                        f.instances(), f.alarmed(), f.instances(),
                        f.lastAlarmMs(), f.incidentMs(), f.runMs(), (f.overBeforeIncident() && f.runMs() < 0 ? " (none: the primary was back before the incident)" : "")
                                + (f.killed() == null ? "" : "; recovered (alarm, incident and run through) in "
                                + f.recoveryMs() + " ms, every component healthy in " + f.healthyMs() + " ms"));
            }
            if (r.falseDowns() > 0) {
                System.out.printf(Locale.ROOT, "[%s] false down alarms by reason: %s%n", r.mode(), r.falseDownReasons());
            }
            System.out.printf(Locale.ROOT, "[%s] firing alarms by type: %s; runs by playbook and status: %s%n", r.mode(), r.firingByType(),
                    r.runsByPlaybook());
        }
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("bench", "e2e");
            o.put("cores", cores);
            o.put("instances", instances);
            o.put("slowlog_rate", slowRate);
            o.put("binlog_rate", binlogRate);
            o.put("lost", results.stream().mapToInt(E2eBench.Result::lost).sum());
            o.put("duplicated", results.stream().mapToInt(E2eBench.Result::duplicated).sum());
            E2eBench.Result first = results.get(0);
            o.put("alarm_latency_p50_ms", E2eBench.pct(first.alarmLatencies(), 0.5));
            o.put("alarm_latency_p99_ms", E2eBench.pct(first.alarmLatencies(), 0.99));
            o.put("incident_latency_p99_ms", E2eBench.pct(first.incidentLatencies(), 0.99));
            ObjectNode per = o.putObject("modes");
            for (E2eBench.Result r : results) {
                ObjectNode m = per.putObject(r.mode());
                m.put("faults", r.faults());
                m.put("expected_alarms", r.expectedAlarms());
                m.put("lost_alarms", r.lostAlarms());
                m.put("duplicated_alarms", r.duplicatedAlarms());
                m.put("missing_resolves", r.missingResolves());
                m.put("false_down_alarms", r.falseDowns());
                m.put("alarm_latency_p50_ms", E2eBench.pct(r.alarmLatencies(), 0.5));
                m.put("alarm_latency_p99_ms", E2eBench.pct(r.alarmLatencies(), 0.99));
                m.put("pipeline_latency_p99_ms", E2eBench.pct(r.pipeline(), 0.99));
                m.put("incident_latency_p50_ms", E2eBench.pct(r.incidentLatencies(), 0.5));
                m.put("incident_latency_p99_ms", E2eBench.pct(r.incidentLatencies(), 0.99));
                m.put("incidents_per_fault", BenchCommand.round(r.incidentsPerFault()));
                m.put("alarms_missing_from_incidents", r.lostFromIncidents());
                m.put("duplicated_incident_events", r.duplicatedIncidentEvents());
                m.put("runs", r.runs());
                m.put("runs_repeated", r.repeatedRuns());
                ObjectNode produced = m.putObject("produced_per_s");
                r.producedPerS().forEach((k, v) -> produced.put(k, Math.round(v)));
                ObjectNode cpu = m.putObject("cpu_cores");
                ObjectNode rss = m.putObject("rss_mb");
                r.usage().forEach(u -> {
                    cpu.put(u.component(), BenchCommand.round(u.cores()));
                    rss.put(u.component(), u.rssMb());
                });
                m.put("saturation", r.saturation());
                ObjectNode types = m.putObject("firing_by_type");
                r.firingByType().forEach(types::put);
                var recovery = m.putArray("faults_detail");
                for (E2eBench.FaultOutcome f : r.outcomes()) {
                    ObjectNode fo = recovery.addObject();
                    fo.put("kind", f.kind());
                    fo.put("instances", f.instances());
                    fo.put("sampled_failing", f.observed());
                    fo.put("alarmed", f.alarmed());
                    fo.put("last_alarm_ms", f.lastAlarmMs());
                    fo.put("incident_ms", f.incidentMs());
                    fo.put("run_ms", f.runMs());
                    if (f.killed() != null) {
                        fo.put("killed", f.killed());
                        fo.put("recovery_ms", f.recoveryMs());
                        fo.put("all_healthy_ms", f.healthyMs());
                    }
                }
                ObjectNode runs = m.putObject("runs_by_playbook");
                r.runsByPlaybook().forEach(runs::put);
            }
            System.out.println(o);
        }
        return results.stream().allMatch(r -> r.lost() == 0 && r.duplicated() == 0) ? 0 : 1;
    }

    private static void row(List<E2eBench.Result> results, String label, java.util.function.Function<E2eBench.Result, String> value) {
        System.out.printf(Locale.ROOT, "%-44s", label);
        results.forEach(r -> System.out.printf(Locale.ROOT, " %14s", value.apply(r)));
        System.out.println();
    }
}
