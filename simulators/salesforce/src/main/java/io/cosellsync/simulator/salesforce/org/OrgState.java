package io.cosellsync.simulator.salesforce.org;

import io.cosellsync.simulator.salesforce.data.Dml;
import io.cosellsync.simulator.salesforce.data.OrgData;
import io.cosellsync.simulator.salesforce.org.Orgs.Org;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;

/** One org as it is now: who it is, how it is set up, its schema, its rows and the writer that guards them. */
public record OrgState(Org org, OrgSettings settings, OrgSchema schema, OrgData data, Dml dml) {

    public String tenant() {
        return org.tenant();
    }
}
