package io.cosellsync.ingress.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.partnercenter.client.ReferralWire;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a webhook body (partner-center-api.md §4.3): keys in any casing, the referral id from the last segment of
 * the documented {@code ResourceUri} ({@code …/engagements/v1/referrals/{id}}). Test events ({@code test-created})
 * are acknowledged and not published.
 */
final class Notifications {

    static final Set<String> REFERRAL_EVENTS = Set.of("referral-created", "referral-updated",
            "related-referral-created", "related-referral-updated");
    private static final Pattern REFERRAL_URI = Pattern.compile("/engagements/v1/referrals/([A-Za-z0-9-]{1,64})/?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Notifications() {
    }

    /** The referral notification in a body, or empty for a test event; 400 for anything else. */
    static Optional<ReferralNotification> read(byte[] body, Instant receivedAt) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw WebhookRejected.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw WebhookRejected.badRequest("the body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw WebhookRejected.badRequest("the body must be a JSON object");
        }
        String eventName = ReferralWire.text(root, "EventName");
        if (eventName == null) {
            throw WebhookRejected.badRequest("EventName is required");
        }
        eventName = eventName.toLowerCase(Locale.ROOT);
        if (eventName.startsWith("test-") || "test".equalsIgnoreCase(ReferralWire.text(root, "ResourceName"))) {
            return Optional.empty();
        }
        if (!REFERRAL_EVENTS.contains(eventName)) {
            throw WebhookRejected.badRequest("unknown EventName: " + eventName + " (expected one of "
                    + REFERRAL_EVENTS.stream().sorted().toList() + ")");
        }
        String resourceUri = ReferralWire.text(root, "ResourceUri");
        String referralId = resourceUri == null ? null : referralId(resourceUri);
        if (referralId == null) {
            throw WebhookRejected.badRequest("ResourceUri must be {base}/engagements/v1/referrals/{referralId}: "
                    + resourceUri);
        }
        return Optional.of(new ReferralNotification(eventName, referralId, resourceUri,
                changeDate(ReferralWire.text(root, "ResourceChangeUtcDate")), receivedAt));
    }

    private static String referralId(String resourceUri) {
        try {
            URI uri = URI.create(resourceUri);
            Matcher m = REFERRAL_URI.matcher(uri.getPath() == null ? "" : uri.getPath());
            return uri.getScheme() != null && m.find() && m.end() == uri.getPath().length() ? m.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant changeDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw WebhookRejected.badRequest("ResourceChangeUtcDate is not an ISO 8601 date-time: " + value);
        }
    }
}
