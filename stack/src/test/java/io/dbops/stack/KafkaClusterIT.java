package io.dbops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A 3-node KRaft cluster as three JVMs (replication 3, min.insync.replicas 2): a transactional,
 * idempotent producer with acks=all writes 20,000 records while one broker is killed with kill -9
 * and later restarted; a read_committed consumer finds every record exactly once, and the
 * cluster is back to full in-sync replicas.
 */
class KafkaClusterIT {
    private static final int OFFSET = 11000;

    @Test
    void killingOneBrokerLosesAndDuplicatesNothing() throws Exception {
        Path work = Files.createTempDirectory("dbops-kafka-cluster-it-");
        StackConfig config = new StackConfig(work, OFFSET);
        List<KafkaBroker> brokers = List.of(new KafkaBroker(config, 1, 3), new KafkaBroker(config, 2, 3), new KafkaBroker(config, 3, 3));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // the nodes start together: none is ready before a quorum of controllers is
            List<Future<?>> started = new ArrayList<>();
            for (KafkaBroker b : brokers) {
                started.add(pool.submit(() -> {
                    b.start();
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertThat(brokers.get(0).createTopics()).isEqualTo(Topic.values().length);
            String bootstrap = String.join(",", brokers.stream().map(KafkaBroker::bootstrap).toList());
            try (Admin admin = admin(bootstrap)) {
                TopicDescription alarms = admin.describeTopics(List.of(Topic.ALARMS.topicName())).allTopicNames().get().get(Topic.ALARMS.topicName());
                assertThat(alarms.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                assertThat(brokers.get(0).health().ok()).as(brokers.get(0).health().detail()).isTrue();
            }

            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID());
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            int total = 20_000;
            long killedAt = 0;
            long restartedAt = 0;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                for (int batch = 0; batch < total / 100; batch++) {
                    if (batch == 50) {
                        brokers.get(1).pid().ifPresent(pid -> ProcessHandle.of(pid).orElseThrow().destroyForcibly());
                        killedAt = System.currentTimeMillis();
                    }
                    if (batch == 120) {
                        brokers.get(1).start();
                        restartedAt = System.currentTimeMillis();
                    }
                    producer.beginTransaction();
                    for (int i = 0; i < 100; i++) {
                        int n = batch * 100 + i;
                        producer.send(new ProducerRecord<>(Topic.ALARMS.topicName(), "k" + (n % 97), "alarm-" + n));
                    }
                    producer.commitTransaction();
                }
            }
            assertThat(killedAt).isPositive();
            System.out.println("KafkaClusterIT: broker 2 down for " + (restartedAt - killedAt) + " ms during the writes");

            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topic.ALARMS.topicName()));
                long until = System.currentTimeMillis() + 60_000;
                while (seen.size() < total && System.currentTimeMillis() < until) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        seen.add(r.value());
                    }
                }
                for (int i = 0; i < 4; i++) { // anything beyond would be a duplicate
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                }
            }
            Set<String> distinct = new HashSet<>(seen);
            assertThat(distinct).as("nothing lost").hasSize(total);
            assertThat(seen).as("nothing duplicated").hasSize(total);

            // the restarted broker catches up: every partition of every topic back to three in-sync replicas
            long t0 = System.currentTimeMillis();
            try (Admin admin = admin(bootstrap)) {
                Set<String> names = admin.listTopics().names().get();
                boolean full = false;
                while (!full && System.currentTimeMillis() - t0 < 60_000) {
                    full = admin.describeTopics(names).allTopicNames().get().values().stream()
                            .allMatch(d -> d.partitions().stream().allMatch(pp -> pp.isr().size() == 3));
                    if (!full) {
                        Thread.sleep(250);
                    }
                }
                System.out.println("KafkaClusterIT: all partitions back to 3 in-sync replicas " + (System.currentTimeMillis() - restartedAt)
                        + " ms after the restart");
                assertThat(full).as("full ISR again").isTrue();
            }
        } catch (Exception | AssertionError e) {
            for (KafkaBroker b : brokers) {
                System.out.println("--- " + b.name() + "\n" + ServerComponent.tail(config.logFile(b.name()), 30));
            }
            throw e;
        } finally {
            pool.shutdownNow();
            for (KafkaBroker b : brokers) {
                b.stop();
            }
            LocalStack.deleteRecursively(work);
        }
    }

    private static Admin admin(String bootstrap) {
        Map<String, Object> a = new HashMap<>();
        a.put("bootstrap.servers", bootstrap);
        a.put("request.timeout.ms", 5000);
        a.put("default.api.timeout.ms", 10000);
        return Admin.create(a);
    }
}
