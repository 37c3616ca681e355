package io.cosellsync.simulator.salesforce.auth;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * HTTP/2 requests (a JDK client upgrades plain-text calls to h2c) carry the host in the {@code :authority}
 * pseudo-header, not in {@code Host}; the simulator tells login and instance hosts apart by {@code Host}, so the
 * authority is copied there first, as Salesforce's servers see the host of either protocol.
 */
@ApplicationScoped
public class Http2Authority {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            var request = context.request();
            if (request.getHeader("Host") == null && request.authority() != null) {
                request.headers().set("Host", request.authority().toString());
            }
            context.next();
        });
    }
}
