package io.cosellsync.simulator.salesforce.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Salesforce's two error shapes: OAuth objects on the token endpoint, arrays with errorCode on REST. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response oauth(OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response rest(RestError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("errorCode", e.errorCode());
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(List.of(error)).build();
    }
}
