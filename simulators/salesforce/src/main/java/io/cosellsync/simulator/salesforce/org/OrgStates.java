package io.cosellsync.simulator.salesforce.org;

import io.cosellsync.simulator.salesforce.cdc.ChangeEventBus;
import io.cosellsync.simulator.salesforce.control.Fault;
import io.cosellsync.simulator.salesforce.control.Faults;
import io.cosellsync.simulator.salesforce.data.Dml;
import io.cosellsync.simulator.salesforce.data.OrgData;
import io.cosellsync.simulator.salesforce.org.Orgs.Org;
import io.cosellsync.simulator.salesforce.org.Orgs.User;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import io.cosellsync.simulator.support.SimulatorClock;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * The current state of every org. An org starts (and resets to) its configured settings with no rows but its
 * users; changing its settings rebuilds its schema and empties it (and its event bus), as a fresh sandbox would be.
 */
@Startup // the orgs (and their event buses) exist from the start, not from the first REST call
@ApplicationScoped
public class OrgStates {

    private static final Instant ORG_CREATED = Instant.parse("2024-01-02T09:00:00Z");

    private final Orgs orgs;
    private final Config config;
    private final Faults faults;
    private final SimulatorClock clock;
    private final ChangeEventBus events;
    private final Map<String, OrgState> states = new ConcurrentHashMap<>();

    public OrgStates(Orgs orgs, Config config, Faults faults, SimulatorClock clock, ChangeEventBus events) {
        this.orgs = orgs;
        this.events = events;
        this.config = config;
        this.faults = faults;
        this.clock = clock;
        orgs.all().forEach(org -> reset(org.tenant()));
    }

    public Optional<OrgState> of(String tenant) {
        return Optional.ofNullable(states.get(tenant));
    }

    public OrgState of(Org org) {
        return states.get(org.tenant());
    }

    /** Back to the configured settings and an empty org (its users only). */
    public OrgState reset(String tenant) {
        return configure(tenant, OrgSettings.fromConfig(config, tenant));
    }

    public OrgState configure(String tenant, OrgSettings settings) {
        Org org = orgs.byTenant(tenant).orElseThrow(() -> new IllegalArgumentException("no org " + tenant));
        OrgSchema schema = new OrgSchema(settings);
        OrgData data = new OrgData(clock.now());
        SObjectType userType = schema.type("User").orElseThrow();
        for (User user : java.util.List.of(org.integrationUser(), org.seller())) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("IsDeleted", false);
            values.put("CreatedDate", ORG_CREATED);
            values.put("CreatedById", org.integrationUser().id());
            values.put("LastModifiedDate", ORG_CREATED);
            values.put("LastModifiedById", org.integrationUser().id());
            values.put("SystemModstamp", ORG_CREATED);
            values.put("Username", user.username());
            String[] names = user.name().split(" ", 2);
            values.put("FirstName", names.length > 1 ? names[0] : null);
            values.put("LastName", names[names.length - 1]);
            values.put("Name", user.name());
            values.put("Email", user.email());
            values.put("Title", user == org.seller() ? "Account Executive" : "Integration User");
            values.put("IsActive", true);
            data.seed(userType, user.id(), values);
        }
        Dml dml = new Dml(schema, target -> faults.fires(tenant, Fault.ROW_LOCK));
        OrgState state = new OrgState(org, settings, schema, data, dml);
        states.put(tenant, state);
        events.attach(state);
        return state;
    }
}
