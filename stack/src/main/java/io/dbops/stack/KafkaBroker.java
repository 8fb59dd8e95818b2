package io.dbops.stack;

import io.dbops.events.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka node (KRaft, combined broker and controller) in its own JVM, run from the CLI's own
 * classpath, which carries the broker artifacts: one node alone, or node {@code node} of a
 * cluster of {@code nodes} sharing one cluster id and controller quorum. With three nodes every
 * topic and internal topic has three replicas and {@code min.insync.replicas=2}, so producers
 * with {@code acks=all} lose nothing when one broker dies. Topics come from the catalog only:
 * auto-creation is off, so a typo in a topic name fails instead of silently creating a topic.
 */
final class KafkaBroker extends ServerComponent {
    /** Nodes a cluster may have: one, or three (a quorum that survives one loss). */
    static final List<Integer> SIZES = List.of(1, 3);
    private final int node;
    private final int nodes;

    KafkaBroker(StackConfig config) {
        this(config, 1, 1);
    }

    KafkaBroker(StackConfig config, int node, int nodes) {
        super(config, name(node));
        if (!SIZES.contains(nodes) || node < 1 || node > nodes) {
            throw new IllegalArgumentException("a Kafka cluster has 1 or 3 nodes, got node " + node + " of " + nodes);
        }
        this.node = node;
        this.nodes = nodes;
    }

    static String name(int node) {
        return node == 1 ? "kafka" : "kafka-" + node;
    }

    static String controllerPortName(int node) {
        return node == 1 ? "kafka-controller" : "kafka-controller-" + node;
    }

    /** This node's address (a client's bootstrap lists every node's). */
    String bootstrap() {
        return address();
    }

    /** Replicas per topic: three in a cluster, one alone. */
    int replication() {
        return Math.min(3, nodes);
    }

    @Override
    List<Integer> ports() {
        return List.of(port(), config.port(controllerPortName(node)));
    }

    private Path props() {
        return dir().resolve("server.properties");
    }

    private Path data() {
        return dir().resolve("data");
    }

    @Override
    void prepare() throws Exception {
        int controller = config.port(controllerPortName(node));
        List<String> voters = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            voters.add(n + "@127.0.0.1:" + config.port(controllerPortName(n)));
        }
        int rf = replication();
        int minIsr = nodes >= 3 ? 2 : 1;
        write(props(), String.join("\n",
                "# written by dbops; edits are overwritten at the next up",
                "process.roles=broker,controller",
                "node.id=" + node,
                "controller.quorum.voters=" + String.join(",", voters),
                "listeners=PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + data(),
                "num.partitions=3",
                "auto.create.topics.enable=false",
                "default.replication.factor=" + rf,
                "min.insync.replicas=" + minIsr,
                "offsets.topic.replication.factor=" + rf,
                "transaction.state.log.replication.factor=" + rf,
                "transaction.state.log.min.isr=" + minIsr,
                "share.coordinator.state.topic.replication.factor=" + rf,
                "share.coordinator.state.topic.min.isr=" + minIsr,
                "unclean.leader.election.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "transaction.max.timeout.ms=900000",
                "log.retention.check.interval.ms=300000",
                "") );
        write(dir().resolve("log4j2.properties"), String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = OUT",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                ""));
        if (!Files.exists(data().resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(java());
            format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", props().toString()));
            Shell.check("kafka storage format", format, null, 120);
        }
    }

    /** The cluster's id, the same for every node: made once (the nodes prepare at the same time), kept in the work folder. */
    private String clusterId() throws java.io.IOException {
        synchronized (KafkaBroker.class) {
            Path file = config.workDir().resolve("kafka-cluster.id");
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path tmp = Files.createTempFile(file.getParent(), "kafka-cluster", ".id");
                Files.writeString(tmp, Uuid.randomUuid().toString());
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readString(file).trim();
        }
    }

    @Override
    List<String> command() {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of("kafka.Kafka", props().toString()));
        return cmd;
    }

    private List<String> java() {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"));
        cmd.addAll(HUGE_PAGES);
        cmd.addAll(List.of("-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + dir().resolve("log4j2.properties"),
                "-cp", System.getProperty("java.class.path")));
        return cmd;
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return Admin.create(p);
    }

    @Override
    boolean ready() {
        if (!listening(port())) {
            return false;
        }
        try (Admin a = admin()) {
            return !a.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates the catalog topics that do not exist yet; returns how many were created. */
    int createTopics() throws Exception {
        try (Admin a = admin()) {
            Set<String> existing = a.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : Topic.values()) {
                if (!existing.contains(t.topicName())) {
                    missing.add(new NewTopic(t.topicName(), t.partitions(), (short) replication()).configs(t.configs()));
                }
            }
            if (!missing.isEmpty()) {
                a.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.size();
        }
    }

    @Override
    Health health() {
        try (Admin a = admin()) {
            int seen = a.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            Set<String> names = a.listTopics().names().get(3, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>();
            for (Topic t : Topic.values()) {
                if (!names.contains(t.topicName())) {
                    missing.add(t.topicName());
                }
            }
            String detail = seen + (seen == 1 ? " broker, " : " brokers, ") + (Topic.values().length - missing.size()) + "/" + Topic.values().length
                    + " dbops topics";
            if (seen < nodes) {
                return Health.bad(detail + ": " + (nodes - seen) + " of the cluster's " + nodes + " brokers missing");
            }
            return missing.isEmpty() ? Health.ok(detail) : Health.bad(detail + ", missing " + missing);
        } catch (Exception e) {
            return Health.bad("does not answer: " + e.getMessage());
        }
    }
}
