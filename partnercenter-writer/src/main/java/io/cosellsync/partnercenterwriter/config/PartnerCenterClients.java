package io.cosellsync.partnercenterwriter.config;

import io.cosellsync.events.TenantId;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.partnercenter.client.Credentials;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.http.OutboundHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClients;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's Partner Center credential and Referrals API client (ADR 0003: ingress's stored sign-in, read and
 * rotated here too), and each served tenant's field mapper. A served tenant without a mapping file stops startup.
 */
public class PartnerCenterClients {

    /** The field mapper of each served tenant. */
    public record Mappers(Map<TenantId, FieldMapper> byTenant) {

        public FieldMapper of(TenantId tenant) {
            FieldMapper mapper = byTenant.get(tenant);
            if (mapper == null) {
                throw new IllegalArgumentException("tenant " + tenant.value() + " is not served here");
            }
            return mapper;
        }
    }

    @Produces
    @Singleton
    Credentials credentials(Pool pool, WriterConfig config) {
        return new Credentials(pool, config.credentialSchema()); // ingress's table (ADR 0003)
    }

    @Produces
    @Singleton
    PartnerCenterTokens tokens(WriterConfig config, Credentials store, OidcClients oidcClients,
            TenancyConfig tenancy, MeterRegistry registry, OutboundHttp http) {
        return new PartnerCenterTokens(config.partnerCenter(), "partnercenter-writer.partner-center", store,
                oidcClients, tenancy, registry, http);
    }

    @Produces
    @Singleton
    ReferralsApi referrals(WriterConfig config, PartnerCenterTokens tokens, MeterRegistry registry,
            OutboundHttp http) {
        return new ReferralsApi(config.partnerCenter(), tokens, registry, http);
    }

    @Produces
    @Singleton
    Mappers mappers(TenancyConfig tenancy, WriterConfig config) {
        List<String> missing = tenancy.tenants().stream().map(TenantId::value)
                .filter(t -> !config.tenants().containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no mapping file for tenant(s) " + missing + ": set partnercenter-writer"
                    + ".tenants.<tenant>.mapping (env PARTNERCENTER_WRITER_TENANTS_<TENANT>_MAPPING)");
        }
        Map<TenantId, FieldMapper> mappers = new HashMap<>();
        FieldMap map = FieldMap.standard();
        tenancy.tenants().forEach(t -> mappers.put(t, new FieldMapper(map, config.tenants().get(t.value())
                .mapping())));
        return new Mappers(Map.copyOf(mappers));
    }
}
