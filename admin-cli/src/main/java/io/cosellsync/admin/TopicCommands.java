package io.cosellsync.admin;

import io.cosellsync.events.TopicProvisioner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cosell-admin topics create}: creates the release's topics (names under its prefix, partitions, retention)
 * where they are missing; idempotent. The Helm chart runs it as a pre-install and pre-upgrade hook. Kafka's
 * security settings come from the same environment the services read ({@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}).
 */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Create the release's Kafka topics.",
        subcommands = {TopicCommands.Create.class})
public class TopicCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create the topics that are missing (existing ones are left as they are).")
    static class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--bootstrap-servers", required = true, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
                description = "host:port[,host:port…] (env KAFKA_BOOTSTRAP_SERVERS)")
        String bootstrapServers;

        @Option(names = "--prefix", defaultValue = "${env:COSELL_TOPIC_PREFIX:-cosell.}",
                description = "the release's topic prefix (env COSELL_TOPIC_PREFIX; default ${DEFAULT-VALUE})")
        String prefix;

        @Option(names = "--replication-factor", defaultValue = "1",
                description = "replicas of each partition (default ${DEFAULT-VALUE}; 3 on a production cluster)")
        short replicationFactor;

        @Option(names = "--wait-seconds", defaultValue = "180",
                description = "how long to wait for a broker that is still starting (default ${DEFAULT-VALUE})")
        int waitSeconds;

        @Override
        public Integer call() {
            return CosellAdmin.run(spec, () -> {
                List<String> created;
                try {
                    created = TopicProvisioner.createWhenReady(bootstrapServers, prefix, replicationFactor,
                            security(System.getenv()), Duration.ofSeconds(waitSeconds),
                            spec.commandLine().getErr()::println);
                } catch (ExecutionException | TimeoutException e) {
                    throw new AdminApi.Unavailable("the broker at " + bootstrapServers + " did not answer: "
                            + (e.getCause() != null ? e.getCause() : e));
                }
                spec.commandLine().getOut().println("topics created: " + (created.isEmpty() ? "none (all existed)"
                        : String.join(", ", created)));
                return 0;
            });
        }

        /** Kafka client security settings from the services' environment variables. */
        static Map<String, String> security(Map<String, String> environment) {
            Map<String, String> client = new LinkedHashMap<>();
            Map<String, String> names = Map.of("KAFKA_SECURITY_PROTOCOL", "security.protocol",
                    "KAFKA_SASL_MECHANISM", "sasl.mechanism", "KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config",
                    "KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location",
                    "KAFKA_SSL_TRUSTSTORE_TYPE", "ssl.truststore.type");
            names.forEach((variable, setting) -> {
                String value = environment.get(variable);
                if (value != null && !value.isBlank()) {
                    client.put(setting, value);
                }
            });
            return client;
        }
    }
}
