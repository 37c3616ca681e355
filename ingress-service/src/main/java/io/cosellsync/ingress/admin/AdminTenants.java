package io.cosellsync.ingress.admin;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.admin.Problem;
import io.cosellsync.support.config.TenancyConfig;
import jakarta.ws.rs.core.Response;

/** The tenant an admin path names, when this service serves it; else the 404 that says so. */
final class AdminTenants {

    private AdminTenants() {
    }

    /** The tenant, or null when the name is malformed or not served here. */
    static TenantId served(TenancyConfig tenancy, String tenant) {
        try {
            TenantId id = TenantId.of(tenant);
            return tenancy.serves(id) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Response unknown(String tenant) {
        return Problem.response(404, "Unknown tenant", "this service does not serve a tenant named '" + tenant + "'",
                "/admin/tenants/" + tenant);
    }
}
