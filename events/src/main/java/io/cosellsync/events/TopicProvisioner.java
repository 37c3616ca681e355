package io.cosellsync.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the system's topics with their partition counts and retention. Idempotent: existing topics are left
 * as they are. Used by the local run command, by the test broker, and as a Helm pre-install job later.
 *
 * <pre>java -cp … io.cosellsync.events.TopicProvisioner &lt;bootstrap&gt; [prefix] [replicationFactor]</pre>
 *
 * As a command it waits for a broker that is still starting (a deploy job runs beside it, and a KRaft broker that
 * listens may not have elected its controller yet): each attempt has 30 s, and it gives up after
 * {@code cosell.topics.wait-seconds} (default 180).
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    public static List<String> createAll(String bootstrapServers, String prefix, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        return createAll(bootstrapServers, prefix, replicationFactor, Map.of());
    }

    /**
     * @param client more Kafka client settings, e.g. {@code security.protocol}, {@code sasl.mechanism},
     *               {@code sasl.jaas.config} for a secured cluster
     */
    public static List<String> createAll(String bootstrapServers, String prefix, short replicationFactor,
            Map<String, String> client) throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.putAll(client);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all(prefix).stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), replicationFactor)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                                    Long.toString(spec.retention().toMillis()))))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).collect(Collectors.toList());
        }
    }

    /**
     * {@link #createAll} against a broker that may still be starting: tries again every 2 s until {@code wait} has
     * passed, telling {@code waiting} why; then the last failure is thrown.
     */
    public static List<String> createWhenReady(String bootstrapServers, String prefix, short replicationFactor,
            Map<String, String> client, Duration wait, Consumer<String> waiting)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return createAll(bootstrapServers, prefix, replicationFactor, client);
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                waiting.accept("the broker at " + bootstrapServers + " is not ready ("
                        + cause.getClass().getSimpleName() + "); trying again");
                Thread.sleep(2_000);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TopicProvisioner <bootstrap-servers> [prefix] [replication-factor]");
            System.exit(2);
        }
        String prefix = args.length > 1 ? args[1] : Topics.DEFAULT_PREFIX;
        short rf = args.length > 2 ? Short.parseShort(args[2]) : 1;
        List<String> created = createWhenReady(args[0], prefix, rf, Map.of(),
                Duration.ofSeconds(Long.getLong("cosell.topics.wait-seconds", 180)), System.err::println);
        System.out.println("topics created: " + (created.isEmpty() ? "none (all existed)" : String.join(", ", created)));
    }
}
