package io.cosellsync.simulator.salesforce.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The login host and the orgs' instance (My Domain) host, told apart by the request's Host header, so a client
 * that ignores {@code instance_url} fails here as it does in production.
 */
@ConfigMapping(prefix = "salesforce-sim.hosts")
public interface Hosts {

    /** Stands for login.salesforce.com. */
    @WithDefault("127.0.0.1")
    String login();

    /** Stands for the orgs' My Domain host, where REST calls and client-credentials token requests go. */
    @WithDefault("localhost")
    String instance();

    default boolean isInstance(String hostHeader) {
        return hostHeader != null && hostName(hostHeader).equalsIgnoreCase(instance());
    }

    static String hostName(String hostHeader) {
        int colon = hostHeader.lastIndexOf(':');
        return colon > 0 && !hostHeader.endsWith("]") ? hostHeader.substring(0, colon) : hostHeader;
    }
}
