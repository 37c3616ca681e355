package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.auth.Hosts;
import io.cosellsync.simulator.salesforce.auth.Sessions;
import io.cosellsync.simulator.salesforce.auth.Sessions.Session;
import io.cosellsync.simulator.salesforce.control.ApiUsage;
import io.cosellsync.simulator.salesforce.control.Fault;
import io.cosellsync.simulator.salesforce.control.Faults;
import io.cosellsync.simulator.salesforce.org.OrgState;
import io.cosellsync.simulator.salesforce.org.OrgStates;
import io.cosellsync.simulator.support.SimulatorClock;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * What every REST call under {@code /services/data/vNN.N/} goes through before its resource: a supported version,
 * a live session on the instance host, the org's injected faults, its daily API allocation (403
 * REQUEST_LIMIT_EXCEEDED when used up); and after it: the {@code Sforce-Limit-Info} header and the call counters.
 */
public class ApiGate {

    static final int OLDEST = 46;
    static final int NEWEST = 66;
    private static final Pattern VERSIONED = Pattern.compile("/services/data/(v(\\d+)\\.0)(/.*)?");

    private final Sessions sessions;
    private final Hosts hosts;
    private final OrgStates orgs;
    private final Faults faults;
    private final ApiUsage usage;
    private final SimulatorClock clock;
    private final CurrentCall current;

    public ApiGate(Sessions sessions, Hosts hosts, OrgStates orgs, Faults faults, ApiUsage usage,
            SimulatorClock clock, CurrentCall current) {
        this.sessions = sessions;
        this.hosts = hosts;
        this.orgs = orgs;
        this.faults = faults;
        this.usage = usage;
        this.clock = clock;
        this.current = current;
    }

    @ServerRequestFilter
    public Uni<Response> enter(ContainerRequestContext request) {
        Matcher m = VERSIONED.matcher(request.getUriInfo().getPath());
        if (!m.matches()) {
            return Uni.createFrom().nullItem();
        }
        String version = m.group(1);
        try {
            int number = Integer.parseInt(m.group(2));
            if (number < OLDEST || number > NEWEST) {
                throw new RestError(404, "NOT_FOUND", "The requested resource does not exist");
            }
            Session session = sessions.require(request.getHeaderString("Authorization"));
            if (!hosts.isInstance(request.getHeaderString("Host"))) {
                throw RestError.invalidSession("This session is not valid for use with the REST API");
            }
            OrgState org = orgs.of(session.org());
            String tenant = org.tenant();
            current.org(org);
            if (faults.fires(tenant, Fault.SESSION_REVOCATION)) {
                sessions.revoke(session.token());
                throw RestError.invalidSession("Session expired or invalid");
            }
            if (faults.limitHeld(tenant) || usage.used(tenant) >= org.settings().dailyApiRequests()) {
                throw new RestError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            }
            if (faults.fires(tenant, Fault.SERVER_UNAVAILABLE)) {
                throw new RestError(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable");
            }
            usage.use(tenant);
            current.set(org, ApiCall.of(org, session, version, request.getHeaderString("Sforce-Call-Options"),
                    clock));
            long latency = faults.latency(tenant);
            if (latency > 0) {
                return Uni.createFrom().nullItem().onItem().delayIt().by(Duration.ofMillis(latency))
                        .replaceWith((Response) null);
            }
            return Uni.createFrom().nullItem();
        } catch (RestError e) {
            return Uni.createFrom().item(ApiResponse.error(e, version).toResponse());
        }
    }

    @ServerResponseFilter
    public void leave(ContainerRequestContext request, ContainerResponseContext response,
            SimpleResourceInfo resource) {
        OrgState org = current.org();
        if (org == null) {
            return;
        }
        response.getHeaders().putSingle("Sforce-Limit-Info", "api-usage=" + usage.used(org.tenant()) + "/"
                + org.settings().dailyApiRequests());
        String endpoint = resource == null || resource.getMethodName() == null ? request.getUriInfo().getPath()
                : resource.getResourceClass().getSimpleName() + "." + resource.getMethodName();
        usage.record(org.tenant(), request.getMethod() + " " + endpoint, response.getStatus());
    }
}
