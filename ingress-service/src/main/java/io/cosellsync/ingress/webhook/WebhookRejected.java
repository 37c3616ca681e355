package io.cosellsync.ingress.webhook;

/** Why a webhook call is refused: the HTTP status Partner Center sees and a problem-details title and detail. */
public class WebhookRejected extends RuntimeException {

    private final int status;
    private final String title;

    public WebhookRejected(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    static WebhookRejected unauthorized(String detail) {
        return new WebhookRejected(401, "Webhook signature not accepted", detail);
    }

    static WebhookRejected badRequest(String detail) {
        return new WebhookRejected(400, "Malformed webhook request", detail);
    }
}
