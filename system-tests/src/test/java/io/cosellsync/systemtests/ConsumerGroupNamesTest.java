package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every consumer group of every service carries the installation's prefix ({@code COSELL_CONSUMER_GROUP_PREFIX}, the
 * chart's {@code <instance>.}), so two releases on one Kafka cluster never share a group; without a prefix the groups
 * keep their plain names (the local run, the tests). Read from each service's own application.properties.
 */
class ConsumerGroupNamesTest {

    private static SmallRyeConfig config(String service, Map<String, String> environment) throws IOException {
        Path properties = Processes.ROOT.resolve(service).resolve("src/main/resources/application.properties");
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties.toUri().toURL(), 100))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .build();
    }

    private static List<String> incomingChannels(SmallRyeConfig config) {
        List<String> channels = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && (name.endsWith(".topic") || name.endsWith(".topics"))) {
                String channel = name.substring("mp.messaging.incoming.".length(), name.lastIndexOf('.'));
                channels.add(channel);
            }
        }
        return channels;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingress-service", "mapper-service", "salesforce-writer", "partnercenter-writer"})
    void everyGroupCarriesTheInstallationsPrefix(String service) throws IOException {
        List<String> channels = incomingChannels(config(service, Map.of()));
        assertFalse(channels.isEmpty(), service);
        for (String channel : channels) {
            String property = "mp.messaging.incoming." + channel + ".group.id";
            String plain = config(service, Map.of()).getValue(property, String.class);
            assertTrue(plain.startsWith(service), property + " = " + plain);
            assertEquals("contoso-staging." + plain, config(service, Map.of("cosell.consumer-group-prefix",
                    "contoso-staging.")).getValue(property, String.class), property);
        }
    }
}
