package io.cosellsync.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Pattern;

/**
 * The broker address is required: SmallRye's silent default of localhost:9092 would make a missing setting look
 * like an outage. A broker that is down is not a startup error (the service reports "not ready").
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaSettings {

    /** {@code host:port[,host:port…]} (env {@code KAFKA_BOOTSTRAP_SERVERS}). */
    @WithName("bootstrap.servers")
    @Pattern(regexp = "[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*", message = "must be host:port[,host:port...]")
    String bootstrapServers();
}
