package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.org.OrgState;
import jakarta.enterprise.context.RequestScoped;

/** The REST call being served, set by {@link ApiGate} once the caller's session is known. */
@RequestScoped
public class CurrentCall {

    private OrgState org;
    private ApiCall call;

    public ApiCall get() {
        if (call == null) {
            throw new IllegalStateException("no authenticated REST call");
        }
        return call;
    }

    void set(OrgState org, ApiCall call) {
        this.org = org;
        this.call = call;
    }

    OrgState org() {
        return org;
    }

    void org(OrgState org) {
        this.org = org;
    }
}
