package io.cosellsync.testing;

import io.cosellsync.events.TopicProvisioner;
import io.cosellsync.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker per test JVM: Kafka's own in-JVM test kit, a single combined broker+controller (KRaft)
 * on free ports, with the system's topics created as production creates them. Started on first use, stopped
 * when the JVM exits, so every test class of a module shares it.
 */
public final class KafkaBroker {

    private static KafkaBroker shared;

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "kafka-test-broker-stop"));
        }
        return shared;
    }

    private static KafkaBroker start() {
        // The broker exits or halts the JVM on a fatal error, e.g. while it is being closed at JVM shutdown; in a
        // test JVM that turns passing tests into a crashed fork. Report instead of killing the JVM.
        Exit.setExitProcedure((status, message) -> System.err.println(
                "test Kafka broker asked to exit(" + status + "): " + message));
        Exit.setHaltProcedure((status, message) -> System.err.println(
                "test Kafka broker asked to halt(" + status + "): " + message));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // as in production: only explicitly created topics exist
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            TopicProvisioner.createAll(cluster.bootstrapServers(), Topics.DEFAULT_PREFIX, (short) 1);
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Sets (or, with a null value, removes) one topic setting, e.g. a {@code max.message.bytes} too small for any
     * record so that the broker refuses to acknowledge writes — a real broker failing, not a mocked one.
     */
    public void configureTopic(String topic, String key, String value) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not set " + key + " on topic " + topic, e);
        }
    }

    private void stop() {
        try {
            cluster.close();
        } catch (Exception e) {
            // the JVM is exiting; nothing left to protect
        }
    }
}
