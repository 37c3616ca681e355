package io.cosellsync.support.config;

import io.cosellsync.events.TenantId;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which partner tenants this process serves (see docs/adr/0001-tenancy.md). Required: a process that serves
 * nobody is a configuration error, reported at startup naming {@code cosell.tenants}.
 */
@ConfigMapping(prefix = "cosell")
public interface TenancyConfig {

    /** Tenant ids, comma-separated (env {@code COSELL_TENANTS}). */
    @Size(min = 1)
    List<@WithConverter(TenantIdConverter.class) TenantId> tenants();

    /** Prefix of every topic name; one per installation sharing a cluster (env {@code COSELL_TOPIC_PREFIX}). */
    @WithDefault("cosell.")
    @Pattern(regexp = "[a-zA-Z0-9._-]{0,100}", message = "may contain only letters, digits, '.', '_' and '-'")
    String topicPrefix();

    /**
     * Prefix of every consumer group name of this installation (env {@code COSELL_CONSUMER_GROUP_PREFIX}; the Helm
     * chart sets {@code <instance>.}), so two installations sharing a Kafka cluster never share a group. None by
     * default: groups are named after the service.
     */
    Optional<@Pattern(regexp = "[a-zA-Z0-9._-]{0,100}", message = "may contain only letters, digits, '.', '_'"
            + " and '-'") String> consumerGroupPrefix();

    /**
     * The installation's name (env {@code COSELL_INSTANCE}; the Helm chart sets the release's instance): a tag
     * {@code cosell_instance} on every metric. None by default.
     */
    Optional<@Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", message = "lower-case letters, digits and"
            + " dashes") String> instance();

    /** Full topic names by logical key ({@code cosell.topic.<key>}), derived from the prefix unless set. */
    @WithName("topic")
    Map<String, String> topics();

    /**
     * Tenants in dry run (env {@code COSELL_DRY_RUN}, comma-separated): both writers compute what they would write
     * to Salesforce and Partner Center and record it (log, metric, the admin API's listing) without writing, and
     * hold the commands; once a tenant is no longer listed, each writer sends its held commands again at start, so
     * they sync as if they had just arrived. None by default.
     */
    Optional<List<@WithConverter(TenantIdConverter.class) TenantId>> dryRun();

    default boolean serves(TenantId tenant) {
        return tenants().contains(tenant);
    }

    default boolean dryRun(TenantId tenant) {
        return dryRun().map(list -> list.contains(tenant)).orElse(false);
    }
}
