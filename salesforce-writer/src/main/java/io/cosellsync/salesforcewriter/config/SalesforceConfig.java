package io.cosellsync.salesforcewriter.config;

import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceSessions;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappingFileConverter;
import io.cosellsync.support.persistence.DatabaseConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How the writer reaches each tenant's Salesforce org (server-to-server, OAuth 2.0 client credentials). */
@ConfigMapping(prefix = "salesforce")
public interface SalesforceConfig extends SalesforceClient.Settings {

    /** While Salesforce keeps failing after all attempts, how long the writer waits before trying the batch again. */
    @WithDefault("30s")
    Duration pause();

    /**
     * How long, in milliseconds, the writer waits for more commands before writing what it has (the Kafka fetch
     * wait of its batches): longer means fewer, fuller calls and more latency.
     */
    @WithDefault("100")
    int lingerMs();

    /**
     * The schema of the same release's partnercenter-writer, whose {@code referral_link} table holds what each
     * referral and its opportunity last agreed on (read only; see {@code Agreements}).
     */
    @WithDefault("partnercenter_writer")
    @Pattern(regexp = DatabaseConfig.SCHEMA_NAME, message = "must be a plain lower-case PostgreSQL identifier")
    String agreementSchema();

    /** By tenant id. */
    Map<String, Org> tenants();

    /** The standard field names and settings: a tenant without a mapping file. */
    TenantMapping STANDARD_MAPPING = new TenantMapping(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    /** The tenant's mapping settings, or the standard ones. */
    static TenantMapping mapping(SalesforceConfig config, String tenant) {
        Org org = config.tenants().get(tenant);
        return org == null ? STANDARD_MAPPING : org.mapping().orElse(STANDARD_MAPPING);
    }

    /** An org: its My Domain URL and connected app ({@link SalesforceSessions.Org}). */
    interface Org extends SalesforceSessions.Org {

        /**
         * Path of the tenant's mapping file (the mapper's; env {@code SALESFORCE_TENANTS_<T>_MAPPING}), read for
         * the dead letters' Audit lines: the Audit and Referral Identifier fields' names and whether names show
         * marks. Without one, the standard names and marks shown.
         */
        @WithConverter(TenantMappingFileConverter.class)
        Optional<TenantMapping> mapping();
    }
}
