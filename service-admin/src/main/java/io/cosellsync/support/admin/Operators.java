package io.cosellsync.support.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/** The operator of the admin call being served, and the answer when they name a tenant they may not act for. */
@ApplicationScoped
public class Operators {

    private final SecurityIdentity identity;

    public Operators(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Operator current() {
        return Operator.of(identity);
    }

    /** 403 when the current operator may not act for the tenant, else null. */
    public Response refusal(String tenant, String instance) {
        return current().mayActFor(tenant) ? null : Problem.response(403, "Not your tenant", "your roles do not"
                + " cover tenant '" + tenant + "' (needs 'ops' or 'ops:" + tenant + "')", instance);
    }
}
