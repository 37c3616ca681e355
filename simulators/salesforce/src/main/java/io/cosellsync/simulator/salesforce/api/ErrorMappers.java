package io.cosellsync.simulator.salesforce.api;

import io.cosellsync.simulator.salesforce.data.Dml.MultipleMatches;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.rest.ApiResponse;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Salesforce's error shapes: OAuth objects on the token endpoint, arrays with errorCode on REST. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response oauth(OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response rest(RestError e, UriInfo uri) {
        return ApiResponse.error(e, version(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response save(SaveException e, UriInfo uri) {
        return ApiResponse.error(e, version(uri)).toResponse();
    }

    @ServerExceptionMapper
    public Response multiple(MultipleMatches e, UriInfo uri) {
        return ApiResponse.error(e, version(uri)).toResponse();
    }

    /** Unknown REST resources and methods answer in Salesforce's shape; the control API keeps JAX-RS's. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        if (!uri.getPath().startsWith("/services/")) {
            return e.getResponse();
        }
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri, Request request) {
        if (!uri.getPath().startsWith("/services/")) {
            return e.getResponse();
        }
        return error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + request.getMethod() + "' not allowed. Allowed are "
                + e.getResponse().getAllowedMethods());
    }

    private static Response error(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorCode", code);
        error.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(List.of(error)).build();
    }

    private static String version(UriInfo uri) {
        String[] parts = uri.getPath().split("/");
        return parts.length > 3 && parts[3].startsWith("v") ? parts[3] : "v66.0";
    }
}
