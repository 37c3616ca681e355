package io.cosellsync.simulator.partnercenter.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import io.cosellsync.simulator.partnercenter.auth.Directory;
import io.cosellsync.simulator.partnercenter.faults.Faults;
import io.cosellsync.simulator.partnercenter.faults.HeldCreates;
import io.cosellsync.simulator.partnercenter.auth.Tokens;
import io.cosellsync.simulator.partnercenter.referrals.Organization;
import io.cosellsync.simulator.partnercenter.referrals.Organizations;
import io.cosellsync.simulator.partnercenter.referrals.ReferralStore;
import io.cosellsync.simulator.partnercenter.referrals.ReferralWire;
import io.cosellsync.simulator.partnercenter.referrals.Referrals;
import io.cosellsync.simulator.partnercenter.webhooks.RegistrationServer;
import io.cosellsync.simulator.partnercenter.webhooks.SigningCertificates;
import io.cosellsync.simulator.partnercenter.webhooks.WebhookDispatcher;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulator's control API: act as Microsoft, move the clock, seed, inspect and reset. Not part of Partner
 * Center; the product never calls it (tests, the demo run and benchmarks do).
 */
@Path("/_sim")
@Produces(MediaType.APPLICATION_JSON)
public class ControlResource {

    private final Organizations organizations;
    private final Referrals referrals;
    private final ReferralStore store;
    private final SimulatorClock clock;
    private final CallCounters counters;
    private final Directory directory;
    private final Tokens tokens;
    private final WebhookDispatcher webhooks;
    private final RegistrationServer registrationServer;
    private final SigningCertificates certificates;
    private final Faults faults;
    private final HeldCreates held;
    @jakarta.inject.Inject
    io.cosellsync.simulator.support.IssuedCredentials issued;

    public ControlResource(Organizations organizations, Referrals referrals, ReferralStore store, SimulatorClock clock,
            CallCounters counters, Directory directory, Tokens tokens, WebhookDispatcher webhooks,
            RegistrationServer registrationServer, SigningCertificates certificates, Faults faults,
            HeldCreates held) {
        this.faults = faults;
        this.held = held;
        this.certificates = certificates;
        this.webhooks = webhooks;
        this.registrationServer = registrationServer;
        this.directory = directory;
        this.tokens = tokens;
        this.organizations = organizations;
        this.referrals = referrals;
        this.store = store;
        this.clock = clock;
        this.counters = counters;
    }

    /** A Microsoft seller shares a new referral with the tenant: it arrives New/Pending and expires in 14 days. */
    @POST
    @Path("tenants/{tenant}/shared-referrals")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode shareFromMicrosoft(@PathParam("tenant") String tenant, JsonNode body, @Context UriInfo uri) {
        return referrals.shareFromMicrosoft(org(tenant), ReferralWire.shape(body), uri.getBaseUri().toString());
    }

    /**
     * Microsoft acts on its own referral of an engagement: {@code accept} (Active/Accepted, optional
     * {@code microsoftMsxId}), {@code decline}, {@code won} or {@code lost}; or updates deal value and notes.
     */
    @POST
    @Path("tenants/{tenant}/referrals/{id}/microsoft")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode actAsMicrosoft(@PathParam("tenant") String tenant, @PathParam("id") String id, JsonNode body) {
        org(tenant);
        String action = body.path("action").asText("update");
        return store.update(tenant, id, null, current -> {
            String stamp = ReferralWire.timestamp(clock.now());
            switch (action) {
                case "accept" -> {
                    current.put("status", "Active").put("substatus", "Accepted").put("acceptedDateTime", stamp);
                    current.put("expirationDateTime", (String) null);
                }
                case "decline" -> current.put("status", "Closed").put("substatus", "Declined")
                        .put("closedDateTime", stamp).put("statusReason", body.path("statusReason").asText(null));
                case "won", "lost" -> current.put("status", "Closed")
                        .put("substatus", action.equals("won") ? "Won" : "Lost").put("closedDateTime", stamp)
                        .put("statusReason", body.path("statusReason").asText(null));
                case "update" -> {
                }
                default -> throw ApiException.badRequest("unknown action '" + action
                        + "' (accept, decline, won, lost, update)");
            }
            ObjectNode details = (ObjectNode) current.get("details");
            if (body.has("dealValue")) {
                details.set("dealValue", body.get("dealValue"));
            }
            if (body.has("notes")) {
                details.set("notes", body.get("notes"));
            }
            if (body.has("microsoftMsxId")) {
                ((ObjectNode) current.get("trackingInfo")).set("microsoftMsxId", body.get("microsoftMsxId"));
            }
            return current;
        });
    }

    /** Creates {@code count} ordinary partner referrals for a tenant (for paging tests and benchmarks). */
    @POST
    @Path("tenants/{tenant}/seed")
    public Map<String, Object> seed(@PathParam("tenant") String tenant, @QueryParam("count") int count,
            @Context UriInfo uri) {
        Organization org = org(tenant);
        if (count < 1 || count > 100_000) {
            throw ApiException.badRequest("'count' must be between 1 and 100000");
        }
        for (int i = 0; i < count; i++) {
            ObjectNode referral = ReferralWire.shape(JsonNodeFactory.instance.objectNode()
                    .put("name", "Seeded deal " + (i + 1)).put("type", i % 2 == 0 ? "Shared" : "Independent"));
            ((ObjectNode) referral.get("customerProfile")).put("name", "Customer " + (i + 1));
            ((ObjectNode) referral.get("customerProfile").get("address")).put("country", i % 3 == 0 ? "US" : "DE");
            referrals.createOwn(org, referral, uri.getBaseUri().toString());
        }
        return Map.of("tenant", tenant, "created", count);
    }

    @GET
    @Path("tenants/{tenant}/referrals")
    public List<ObjectNode> inspect(@PathParam("tenant") String tenant) {
        org(tenant);
        return store.all(tenant);
    }

    /** Moves the simulator clock forward and expires what is due. */
    @POST
    @Path("clock/advance")
    public Map<String, Object> advance(@QueryParam("seconds") long seconds) {
        if (seconds <= 0) {
            throw ApiException.badRequest("'seconds' must be positive");
        }
        clock.advance(Duration.ofSeconds(seconds));
        int expired = store.expireDue(clock.now());
        return Map.of("now", ReferralWire.timestamp(clock.now()), "expired", expired);
    }

    /** The browser step of the device code flow: {@code {"user_code": "…", "username": "integration@…"}}. */
    @POST
    @Path("devicelogin")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> deviceLogin(JsonNode body) {
        String username = body.path("username").asText();
        Directory.User user = directory.all().stream().flatMap(t -> t.user(username).stream()).findFirst()
                .orElseThrow(() -> ApiException.badRequest("no user '" + username + "' in the simulator"));
        tokens.approveDevice(body.path("user_code").asText(), user);
        return Map.of("signedIn", user.upn());
    }

    /**
     * Revokes tokens: {@code {"accessTokenId": "<jti>"}} one access token, {@code {"user": "<upn>"}} everything the
     * user holds, {@code {"refreshTokensOf": "<upn>"}} only their refresh tokens.
     */
    @POST
    @Path("tenants/{tenant}/revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> revoke(@PathParam("tenant") String tenant, JsonNode body) {
        Directory.Tenant directoryTenant = directory.tenant(tenant)
                .orElseThrow(() -> new ApiException(404, "NotFound", "no tenant '" + tenant + "' in the simulator"));
        if (body.hasNonNull("accessTokenId")) {
            tokens.revokeAccessToken(body.get("accessTokenId").asText());
            return Map.of("revoked", 1);
        }
        String upn = body.hasNonNull("user") ? body.get("user").asText() : body.path("refreshTokensOf").asText();
        Directory.User user = directoryTenant.user(upn)
                .orElseThrow(() -> ApiException.badRequest("no user '" + upn + "' in tenant " + tenant));
        int revoked = body.hasNonNull("user") ? tokens.revokeUser(tenant, user.objectId())
                : tokens.revokeRefreshTokens(tenant, user.objectId());
        return Map.of("revokedRefreshTokens", revoked);
    }

    /** Sets a tenant's faults, replacing the previous ones: {@code {"THROTTLE": 0.5, "LATENCY": 200}}. */
    @jakarta.ws.rs.PUT
    @Path("tenants/{tenant}/faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> setFaults(@PathParam("tenant") String tenant, Map<String, Double> values) {
        org(tenant);
        try {
            faults.setByName(tenant, values);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return faultState(tenant);
    }

    @GET
    @Path("tenants/{tenant}/faults")
    public Map<String, Object> faultState(@PathParam("tenant") String tenant) {
        org(tenant);
        return faults.state(tenant);
    }

    /** The bodies of the tenant's referral creates that {@code LATENCY} is holding now (received, not acted on). */
    @GET
    @Path("tenants/{tenant}/faults/held-creates")
    public List<JsonNode> heldCreates(@PathParam("tenant") String tenant) {
        org(tenant);
        return held.of(tenant);
    }

    /** Where the registration API listens and what webhook delivery did (queued, delivered, retried, dropped). */
    @GET
    @Path("webhooks")
    public Map<String, Object> webhooks() {
        return Map.of("registrationPort", registrationServer.port(), "deliveries", webhooks.counters());
    }

    /** The simulated root CA (PEM) to configure as the webhook receiver's trust anchor. */
    @GET
    @Path("webhooks/ca.pem")
    @Produces("application/x-pem-file")
    public String webhookCa() {
        return certificates.caPem();
    }

    @GET
    @Path("counters")
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    @POST
    @Path("reset")
    public Map<String, Object> reset() {
        store.reset();
        clock.reset();
        counters.reset();
        tokens.reset();
        faults.reset();
        held.reset();
        webhooks.reset();
        registrationServer.resetThrottle();
        return Map.of("reset", true);
    }

    private Organization org(String tenant) {
        return organizations.of(tenant)
                .orElseThrow(() -> new ApiException(404, "NotFound", "no tenant '" + tenant + "' in the simulator"));
    }

    /**
     * Every credential this simulator issued (access and refresh tokens, newest first) and every app's client
     * secret: what a test checks no log contains. Not part of Entra or Partner Center.
     */
    @GET
    @Path("issued-credentials")
    public Map<String, Object> issuedCredentials() {
        Map<String, Object> out = new java.util.LinkedHashMap<>(issued.all());
        out.put("clientSecrets", directory.all().stream().map(t -> t.app().clientSecret()).toList());
        return out;
    }
}
