package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.auth.Hosts;
import io.cosellsync.simulator.salesforce.auth.Sessions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The REST API's entry points under {@code /services/data}: the versions list and, per version (46.0 and later),
 * the org's limits. REST calls need a valid session on the instance host.
 */
@Path("/services/data")
@Produces(MediaType.APPLICATION_JSON)
public class DataResource {

    static final int OLDEST = 46;
    static final int NEWEST = 66;
    static final Pattern VERSION = Pattern.compile("v(\\d+)\\.0");
    static final int DAILY_API_REQUESTS = 15000;

    private final Sessions sessions;
    private final Hosts hosts;

    public DataResource(Sessions sessions, Hosts hosts) {
        this.sessions = sessions;
        this.hosts = hosts;
    }

    @GET
    public List<Map<String, String>> versions() {
        return IntStream.rangeClosed(OLDEST, NEWEST).mapToObj(v -> Map.of(
                "label", "API " + v + ".0", "url", "/services/data/v" + v + ".0", "version", v + ".0")).toList();
    }

    @GET
    @Path("{version}/limits")
    public Map<String, Object> limits(@PathParam("version") String version,
            @HeaderParam("Authorization") String authorization, @HeaderParam("Host") String host) {
        session(version, authorization, host);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("DailyApiRequests", Map.of("Max", DAILY_API_REQUESTS, "Remaining", DAILY_API_REQUESTS));
        return limits;
    }

    /** The caller's session, checked as the REST API checks it: version, session, host. */
    Sessions.Session session(String version, String authorization, String host) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches() || Integer.parseInt(m.group(1)) < OLDEST || Integer.parseInt(m.group(1)) > NEWEST) {
            throw new RestError(404, "NOT_FOUND", "The requested resource does not exist");
        }
        Sessions.Session session = sessions.require(authorization);
        if (!hosts.isInstance(host)) {
            throw RestError.invalidSession("This session is not valid for use with the REST API");
        }
        return session;
    }
}
