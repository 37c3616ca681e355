package io.cosellsync.ingress.webhook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Webhook bodies as anyone on the internet could send them: any bytes, and notifications whose members are any
 * JSON value. Each is read or refused with a 400 (the endpoint's problem details), never another exception — which
 * the endpoint would answer 500.
 */
class WebhookFuzzTest {

    private static void readOrBadRequest(byte[] body) {
        try {
            Notifications.read(body, Instant.now());
        } catch (WebhookRejected e) {
            assertTrue(e.status() == 400, "refused with " + e.status());
        }
    }

    @Property(tries = 500)
    void anyBytes(@ForAll byte[] body) {
        readOrBadRequest(body);
    }

    @Property(tries = 1000)
    void anyMemberValues(@ForAll("members") Map<String, String> members) {
        StringBuilder json = new StringBuilder("{");
        members.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(v));
        readOrBadRequest(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Map<String, String>> members() {
        Arbitrary<String> names = Arbitraries.of("EventName", "eventName", "ResourceUri", "resourceuri",
                "ResourceName", "ResourceChangeUtcDate", "AuditUri", "x");
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(30)
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        Arbitrary<String> values = Arbitraries.oneOf(text,
                Arbitraries.of("\"referral-updated\"", "\"test-created\"", "\"REFERRAL-CREATED\"",
                        "\"https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc\"",
                        "\"https://x/engagements/v1/referrals/\"", "\"http://[::1\"", "\"::::\"",
                        "\"2026-13-01T00:00:00Z\"", "\"2026-11-24T08:15:30.1234567+00:00\"", "null", "1e999",
                        "[]", "{}", "true", "-0"),
                Combinators.combine(text, text).as((a, b) -> "[" + a + "," + b + "]"));
        return Arbitraries.maps(names, values).ofMaxSize(6);
    }
}
