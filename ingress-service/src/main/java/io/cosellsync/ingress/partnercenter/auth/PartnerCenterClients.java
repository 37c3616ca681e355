package io.cosellsync.ingress.partnercenter.auth;

import io.cosellsync.partnercenter.client.Credentials;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.support.persistence.DatabaseConfig;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.http.OutboundHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClients;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Ingress's Partner Center credential and Referrals API client, from {@code ingress.partner-center.*}. */
public class PartnerCenterClients {

    @Produces
    @Singleton
    Credentials credentials(Pool pool, DatabaseConfig database) {
        return new Credentials(pool, database.schema()); // the table is ingress's own
    }

    @Produces
    @Singleton
    PartnerCenterTokens tokens(PartnerCenterConfig config, Credentials store, OidcClients oidcClients,
            TenancyConfig tenancy, MeterRegistry registry, OutboundHttp http) {
        return new PartnerCenterTokens(config, "ingress.partner-center", store, oidcClients, tenancy, registry,
                http);
    }

    @Produces
    @Singleton
    ReferralsApi referrals(PartnerCenterConfig config, PartnerCenterTokens tokens, MeterRegistry registry,
            OutboundHttp http) {
        return new ReferralsApi(config, tokens, registry, http);
    }
}
