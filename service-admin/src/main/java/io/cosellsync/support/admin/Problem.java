package io.cosellsync.support.admin;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 9457 problem-details answer ({@code application/problem+json}). */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    public static Response response(int status, String title, String detail, String instance) {
        return Response.status(status).type(MEDIA_TYPE).entity(body(status, title, detail, instance)).build();
    }

    /** The body alone, for an answer made outside JAX-RS (a plain Vert.x route). */
    public static Map<String, Object> body(int status, String title, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        return body;
    }
}
