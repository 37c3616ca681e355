package io.cosellsync.simulator.salesforce;

import io.cosellsync.simulator.salesforce.auth.Sessions;
import io.cosellsync.simulator.salesforce.control.ApiUsage;
import io.cosellsync.simulator.salesforce.control.Faults;
import io.cosellsync.simulator.salesforce.data.Change;
import io.cosellsync.simulator.salesforce.data.FieldValues;
import io.cosellsync.simulator.salesforce.data.ValidationRule;
import io.cosellsync.simulator.salesforce.org.OrgSettings;
import io.cosellsync.simulator.salesforce.org.OrgState;
import io.cosellsync.simulator.salesforce.org.OrgStates;
import io.cosellsync.simulator.salesforce.org.Orgs;
import io.cosellsync.simulator.salesforce.rest.SavesAfterQuery;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's control API (not part of Salesforce): seeded credentials, org settings and reset, the clock,
 * API counters, faults, the change log; the seller's UI actions are in {@link SellerResource}.
 */
@Path("/_sim")
@Produces(MediaType.APPLICATION_JSON)
public class ControlResource {

    private final Orgs orgs;
    private final OrgStates states;
    private final Sessions sessions;
    private final SimulatorClock clock;
    private final Faults faults;
    private final ApiUsage usage;
    private final SavesAfterQuery savesAfterQuery;
    @jakarta.inject.Inject
    io.cosellsync.simulator.support.IssuedCredentials issued;

    public ControlResource(Orgs orgs, OrgStates states, Sessions sessions, SimulatorClock clock, Faults faults,
            ApiUsage usage, SavesAfterQuery savesAfterQuery) {
        this.savesAfterQuery = savesAfterQuery;
        this.orgs = orgs;
        this.states = states;
        this.sessions = sessions;
        this.clock = clock;
        this.faults = faults;
        this.usage = usage;
    }

    /** Each org's ids and connected-app credentials, including the JWT signing key a client would hold. */
    @GET
    @Path("orgs")
    public List<Map<String, Object>> orgs() {
        return orgs.all().stream().map(org -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenant", org.tenant());
            out.put("organizationId", org.id());
            out.put("consumerKey", org.app().consumerKey());
            out.put("consumerSecret", org.app().consumerSecret());
            out.put("integrationUser", Map.of("id", org.integrationUser().id(), "username",
                    org.integrationUser().username()));
            out.put("seller", Map.of("id", org.seller().id(), "username", org.seller().username()));
            out.put("jwtPrivateKeyPem", "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(org.app().jwtKeys().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            return out;
        }).toList();
    }

    private OrgState state(String tenant) {
        return states.of(tenant).orElseThrow(() -> new NotFoundException("no org for tenant " + tenant));
    }

    @POST
    @Path("orgs/{tenant}/sessions/revoke")
    public Map<String, Object> revokeSessions(@PathParam("tenant") String tenant) {
        return Map.of("revoked", sessions.revokeAll(state(tenant).org().id()));
    }

    @GET
    @Path("orgs/{tenant}/settings")
    public OrgSettings settings(@PathParam("tenant") String tenant) {
        return state(tenant).settings();
    }

    /** Replaces the org's settings; the org is rebuilt empty (its users only), as a fresh sandbox would be. */
    @PUT
    @Path("orgs/{tenant}/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public OrgSettings configure(@PathParam("tenant") String tenant, OrgSettings settings) {
        state(tenant);
        try {
            return states.configure(tenant, settings).settings();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    /** The org's validation rules by name (an org reset removes them). */
    @GET
    @Path("orgs/{tenant}/validation-rules")
    public Map<String, ValidationRule> validationRules(@PathParam("tenant") String tenant) {
        return state(tenant).dml().validationRules().all();
    }

    /** Defines or replaces a validation rule, as an admin does in Setup. */
    @PUT
    @Path("orgs/{tenant}/validation-rules/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ValidationRule defineValidationRule(@PathParam("tenant") String tenant, @PathParam("name") String name,
            ValidationRule rule) {
        if (rule == null) {
            throw new BadRequestException("a validation rule is {object, field, condition, value, errorMessage,"
                    + " errorField, active}");
        }
        state(tenant).dml().validationRules().put(name, rule);
        return rule;
    }

    @DELETE
    @Path("orgs/{tenant}/validation-rules/{name}")
    public Response deleteValidationRule(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        return state(tenant).dml().validationRules().remove(name) ? Response.noContent().build()
                : Response.status(404).build();
    }

    /** Back to the configured settings, no rows, no faults, no usage. */
    @POST
    @Path("orgs/{tenant}/reset")
    public Map<String, Object> resetOrg(@PathParam("tenant") String tenant) {
        state(tenant);
        states.reset(tenant);
        faults.reset(tenant);
        usage.reset(tenant);
        savesAfterQuery.reset(tenant);
        return Map.of("reset", tenant);
    }

    /** API usage against the daily allocation, calls by endpoint and status, and injected faults. */
    @GET
    @Path("orgs/{tenant}/counters")
    public Map<String, Object> counters(@PathParam("tenant") String tenant) {
        OrgState org = state(tenant);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiUsage", usage.used(tenant));
        out.put("dailyApiRequests", org.settings().dailyApiRequests());
        out.put("calls", usage.counters(tenant));
        out.put("faults", faults.counters(tenant));
        return out;
    }

    /** Replaces the org's faults: {@code {"ROW_LOCK": 0.5, "LATENCY": 200, "REQUEST_LIMIT_EXCEEDED": 30}}. */
    @PUT
    @Path("orgs/{tenant}/faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> setFaults(@PathParam("tenant") String tenant, Map<String, Double> values) {
        state(tenant);
        try {
            faults.setByName(tenant, values);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return faultState(tenant);
    }

    @GET
    @Path("orgs/{tenant}/faults")
    public Map<String, Object> faultState(@PathParam("tenant") String tenant) {
        state(tenant);
        return faults.state(tenant);
    }

    /** Committed changes after a sequence number, oldest first: what change data capture will publish. */
    @GET
    @Path("orgs/{tenant}/changes")
    public List<Map<String, Object>> changes(@PathParam("tenant") String tenant, @QueryParam("after") long after) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Change c : state(tenant).data().changes(after)) {
            Map<String, Object> values = new LinkedHashMap<>();
            c.newValues().forEach((k, v) -> values.put(k, FieldValues.toJson(v)));
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("sequence", c.sequence());
            change.put("entityName", c.entityName());
            change.put("changeType", c.changeType());
            change.put("recordId", c.recordId());
            change.put("changeOrigin", c.changeOrigin());
            change.put("transactionKey", c.transactionKey());
            change.put("sequenceNumber", c.sequenceNumber());
            change.put("commitTimestamp", c.commitTimestamp().toEpochMilli());
            change.put("commitUser", c.commitUser());
            change.put("changedFields", c.changedFields());
            change.put("values", values);
            out.add(change);
        }
        return out;
    }

    @POST
    @Path("clock/advance")
    public Map<String, Object> advance(@QueryParam("seconds") long seconds) {
        if (seconds <= 0) {
            throw new BadRequestException("'seconds' must be positive");
        }
        clock.advance(Duration.ofSeconds(seconds));
        return Map.of("now", clock.now().toString());
    }

    @POST
    @Path("reset")
    public Map<String, Object> reset() {
        sessions.reset();
        clock.reset();
        faults.reset();
        usage.reset();
        orgs.all().forEach(org -> {
            states.reset(org.tenant());
            savesAfterQuery.reset(org.tenant());
        });
        return Map.of("reset", true);
    }

    /**
     * Every session this simulator issued (newest first) and every connected app's consumer secret: what a test
     * checks no log contains. Not part of Salesforce.
     */
    @GET
    @Path("issued-credentials")
    public Map<String, Object> issuedCredentials() {
        Map<String, Object> out = new LinkedHashMap<>(issued.all());
        out.put("consumerSecrets", orgs.all().stream().map(o -> o.app().consumerSecret()).toList());
        return out;
    }
}
