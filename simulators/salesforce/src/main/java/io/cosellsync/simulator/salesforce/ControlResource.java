package io.cosellsync.simulator.salesforce;

import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.salesforce.auth.Sessions;
import io.cosellsync.simulator.salesforce.org.Orgs;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The simulator's control API (not part of Salesforce): seeded credentials, session revocation, clock, reset. */
@Path("/_sim")
@Produces(MediaType.APPLICATION_JSON)
public class ControlResource {

    private final Orgs orgs;
    private final Sessions sessions;
    private final SimulatorClock clock;

    public ControlResource(Orgs orgs, Sessions sessions, SimulatorClock clock) {
        this.orgs = orgs;
        this.sessions = sessions;
        this.clock = clock;
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

    @POST
    @Path("orgs/{tenant}/sessions/revoke")
    public Map<String, Object> revokeSessions(@PathParam("tenant") String tenant) {
        Orgs.Org org = orgs.byTenant(tenant).orElseThrow(() -> new NotFoundException("no org for tenant " + tenant));
        return Map.of("revoked", sessions.revokeAll(org.id()));
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
        return Map.of("reset", true);
    }
}
