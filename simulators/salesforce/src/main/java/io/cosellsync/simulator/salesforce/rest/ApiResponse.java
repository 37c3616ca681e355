package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.data.Dml.MultipleMatches;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.api.RestError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A REST answer before it becomes HTTP: what a composite subrequest reports and a resource method returns. */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public static ApiResponse of(int status, Object body) {
        return new ApiResponse(status, body, Map.of());
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    /** Salesforce's top-level error array for a failure. */
    public static ApiResponse error(RuntimeException e, String version) {
        if (e instanceof SaveException save) {
            return of(save.status(), save.errors().stream().map(ApiResponse::topLevel).toList());
        }
        if (e instanceof MultipleMatches multiple) {
            return of(300, multiple.ids().stream().map(id -> "/services/data/" + version + "/sobjects/"
                    + multiple.objectName() + "/" + id).toList());
        }
        if (e instanceof RestError rest) {
            return of(rest.status(), List.of(topLevel(new RecordError(rest.errorCode(), rest.getMessage()))));
        }
        throw e;
    }

    static Map<String, Object> topLevel(RecordError error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", error.message());
        out.put("errorCode", error.statusCode());
        if (!error.fields().isEmpty()) {
            out.put("fields", error.fields());
        }
        return out;
    }

    /** A per-record error inside a collection result (note: {@code statusCode}, not {@code errorCode}). */
    static Map<String, Object> nested(RecordError error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", error.statusCode());
        out.put("message", error.message());
        out.put("fields", error.fields());
        return out;
    }

    public Response toResponse() {
        Response.ResponseBuilder builder = Response.status(status);
        headers.forEach(builder::header);
        if (body != null) {
            builder.type(MediaType.APPLICATION_JSON).entity(body);
        }
        return builder.build();
    }
}
