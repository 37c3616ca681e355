package io.cosellsync.ingress.webhook;

import io.cosellsync.support.admin.Problem;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * How a webhook call is answered, whichever port it came to: 200 without a body, or a refusal as problem details
 * (with {@code Retry-After} in seconds for 429).
 */
record WebhookAnswer(int status, String title, String detail, String instance, long retryAfterSeconds) {

    static final WebhookAnswer OK = new WebhookAnswer(200, null, null, null, 0);

    static WebhookAnswer problem(int status, String title, String detail, String instance) {
        return new WebhookAnswer(status, title, detail, instance, 0);
    }

    /** The problem-details body (RFC 9457); null for 200. */
    Map<String, Object> body() {
        return title == null ? null : Problem.body(status, title, detail, instance);
    }

    Response response() {
        if (title == null) {
            return Response.status(status).build();
        }
        Response.ResponseBuilder builder = Response.fromResponse(Problem.response(status, title, detail, instance));
        return retryAfterSeconds > 0 ? builder.header("Retry-After", retryAfterSeconds).build() : builder.build();
    }
}
