package io.cosellsync.ingress.salesforce;

import io.cosellsync.support.salesforce.SalesforceSessions;
import io.smallrye.config.ConfigMapping;
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

    /** By tenant id. */
    Map<String, Org> tenants();

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
    }
}
