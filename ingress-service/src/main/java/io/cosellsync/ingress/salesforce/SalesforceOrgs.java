package io.cosellsync.ingress.salesforce;

import io.cosellsync.events.TenantId;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.http.OutboundHttp;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceSessions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The Salesforce orgs ingress reads, one per configured tenant: their sessions (shared by the change event stream
 * and the REST queries, so one token serves both), the REST client and each tenant's mapping settings. An org for a
 * tenant this process does not serve ({@code cosell.tenants}) stops startup.
 */
@ApplicationScoped
public class SalesforceOrgs {

    /** Every setting at its default (no stage names: ingress reads no stage setting). */
    private static final TenantMapping DEFAULTS = new TenantMapping(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    private final SalesforceConfig config;
    private final SalesforceSessions sessions;
    private final SalesforceClient client;

    public SalesforceOrgs(SalesforceConfig config, TenancyConfig tenancy, OidcClients oidcClients,
            MeterRegistry registry, OutboundHttp http) {
        List<String> strangers = config.tenants().keySet().stream().filter(t -> !tenancy.serves(TenantId.of(t)))
                .sorted().toList();
        if (!strangers.isEmpty()) {
            // an org for a tenant this process does not serve: a mistake, and its records must not flow anywhere
            throw new IllegalStateException("ingress.salesforce.tenants names tenant(s) " + strangers + " that are not"
                    + " in cosell.tenants " + tenancy.tenants().stream().map(TenantId::value).toList());
        }
        this.config = config;
        this.sessions = new SalesforceSessions("ingress-salesforce", config.tenants(), oidcClients);
        this.client = new SalesforceClient(config.rest(), sessions, registry, http);
    }

    public SalesforceSessions sessions() {
        return sessions;
    }

    public SalesforceClient client() {
        return client;
    }

    /** Whether ingress listens to this tenant's org. */
    public boolean configured(TenantId tenant) {
        return config.tenants().containsKey(tenant.value());
    }

    public Map<String, SalesforceConfig.Org> orgs() {
        return config.tenants();
    }

    /** Whether the tenant has a mapping file (which names its stages); without one, the defaults apply. */
    public boolean hasMappingFile(TenantId tenant) {
        SalesforceConfig.Org org = config.tenants().get(tenant.value());
        return org != null && org.mapping().isPresent();
    }

    /** The tenant's mapping settings (its file, or the defaults). */
    public TenantMapping mapping(TenantId tenant) {
        SalesforceConfig.Org org = config.tenants().get(tenant.value());
        return org == null ? DEFAULTS : org.mapping().orElse(DEFAULTS);
    }
}
