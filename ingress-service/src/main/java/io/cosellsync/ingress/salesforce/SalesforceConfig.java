package io.cosellsync.ingress.salesforce;

import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappingFileConverter;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceSessions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Salesforce orgs ingress listens to ({@code ingress.salesforce.*}). A tenant without an entry here gets no
 * change event subscription (Partner Center → Salesforce works without it).
 */
@ConfigMapping(prefix = "ingress.salesforce")
public interface SalesforceConfig {

    /** Our writer's {@code Sforce-Call-Options} client id: changes made through it are marked as probably ours. */
    @WithDefault("cosell-sync")
    String clientId();


    /** First wait before subscribing again after a failure; doubled up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration firstBackoff();

    @WithDefault("60s")
    Duration maxBackoff();

    /** How often the leader lock is checked and a stopped subscription started. */
    @WithDefault("2s")
    Duration check();

    /** How long the hydrator waits for more change notifications before querying what it has (Kafka fetch wait). */
    @WithDefault("100")
    int lingerMs();

    /** While Salesforce keeps failing after all attempts, how long the hydrator waits before trying a batch again. */
    @WithDefault("30s")
    Duration pause();

    /**
     * How often team members (which have no change events) are polled — and, for an org in {@code polling} mode,
     * everything.
     */
    @WithDefault("60s")
    Duration pollInterval();

    /** How far before the last poll's start the next one reads again (clock skew, long transactions). */
    @WithDefault("2m")
    Duration pollOverlap();

    /** The REST calls of the hydrator and the reconciliation ({@code ingress.salesforce.rest.*}). */
    Rest rest();

    /** By tenant id. */
    Map<String, Org> tenants();

    enum Mode {
        CDC, POLLING
    }

    /** The defaults of {@link SalesforceClient.Settings}, but ingress's own client id. */
    interface Rest extends SalesforceClient.Settings {

        /** Ingress only reads; its own client id names its calls apart from the writer's in Salesforce's logs. */
        @Override
        @WithDefault("cosell-sync-ingress")
        String callClientId();
    }

    /**
     * An org: its My Domain URL and connected app ({@link SalesforceSessions.Org}; the secret from
     * {@code INGRESS_SALESFORCE_TENANTS_<T>_CONSUMER_SECRET}), and where its change events come from.
     */
    interface Org extends SalesforceSessions.Org {

        /** The Pub/Sub API, {@code host:port}. */
        @WithDefault("api.pubsub.salesforce.com:7443")
        String pubsubEndpoint();

        /** PEM file of the CA the Pub/Sub endpoint's certificate chains to; unset = the JVM's roots. */
        Optional<String> pubsubTrustAnchor();

        /** Plain h2c instead of TLS: for a local simulator only. */
        @WithDefault("false")
        boolean pubsubPlaintext();

        /**
         * The channel: {@code /data/ChangeEvents}, or a custom channel ({@code /data/CoSell__chn}) whose members
         * filter out changes we do not sync, so they do not use up the org's daily delivery allocation.
         */
        @WithDefault("/data/ChangeEvents")
        String channel();

        /**
         * {@code cdc}: change events over the Pub/Sub API (team members polled); {@code polling}: for an org
         * without Change Data Capture, every object polled each {@code poll-interval}.
         */
        @WithDefault("cdc")
        Mode mode();

        /**
         * The tenant's mapping file (the mapper's, mapping/README.md): which of this org's fields a snapshot reads
         * (renamed fields, the country code, deal value and currency fields). Unset = the default API names.
         */
        @WithConverter(TenantMappingFileConverter.class)
        Optional<TenantMapping> mapping();
    }
}
