package io.cosellsync.partnercenter.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.support.http.OutboundHttp;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two calls of Entra's device authorization grant (RFC 8628) that quarkus-oidc-client does not make: asking for
 * a device code, and redeeming it, where "authorization_pending" and "slow_down" are answers to wait on rather than
 * failures. Refreshing afterwards is quarkus-oidc-client's job ({@link PartnerCenterTokens}).
 */
final class DeviceCodeFlow {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the operator is shown: the code to enter and where. */
    record DeviceCode(String deviceCode, String userCode, String verificationUri, String message,
            Duration expiresIn, Duration interval) {
    }

    /** A redemption attempt: tokens, keep waiting ({@code slowDown} asks for a longer interval), or a failure. */
    sealed interface Redemption permits Issued, Pending, Failed {
    }

    record Issued(String accessToken, String refreshToken, long expiresInSeconds) implements Redemption {
    }

    record Pending(boolean slowDown) implements Redemption {
    }

    record Failed(String error, String description) implements Redemption {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final OutboundHttp http;
    private final URI authority;

    DeviceCodeFlow(URI authority, OutboundHttp http) {
        this.authority = authority;
        this.http = http;
    }

    Uni<DeviceCode> start(PartnerCenterSettings.App app, Audience audience) {
        return post(app, "devicecode", Map.of("client_id", app.clientId(), "scope", audience.scope()))
                .map(response -> {
                    JsonNode body = response.body();
                    if (response.status() != 200 || !body.hasNonNull("device_code")) {
                        throw new IllegalStateException("Entra refused the device code request: " + error(body));
                    }
                    return new DeviceCode(body.get("device_code").asText(), body.path("user_code").asText(),
                            body.path("verification_uri").asText(), body.path("message").asText(),
                            Duration.ofSeconds(body.path("expires_in").asLong(900)),
                            Duration.ofSeconds(Math.max(1, body.path("interval").asLong(5))));
                });
    }

    Uni<Redemption> redeem(PartnerCenterSettings.App app, String deviceCode) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT);
        form.put("client_id", app.clientId());
        form.put("device_code", deviceCode);
        app.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        return post(app, "token", form).map(response -> {
            JsonNode body = response.body();
            if (response.status() == 200 && body.hasNonNull("access_token")) {
                return new Issued(body.get("access_token").asText(), body.path("refresh_token").asText(null),
                        body.path("expires_in").asLong(3600));
            }
            String error = body.path("error").asText("");
            if (error.equals("authorization_pending") || error.equals("slow_down")) {
                return new Pending(error.equals("slow_down"));
            }
            return new Failed(error.isEmpty() ? "http_" + response.status() : error,
                    body.path("error_description").asText(""));
        });
    }

    private record Answer(int status, JsonNode body) {
    }

    private Uni<Answer> post(PartnerCenterSettings.App app, String endpoint, Map<String, String> form) {
        URI uri = authority.resolve("/" + app.directory() + "/oauth2/v2.0/" + endpoint);
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send("POST", uri, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Accept", "application/json"), body, TIMEOUT)
                .map(response -> new Answer(response.status(), parse(response.body())));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** Entra's error and description, never a token. */
    private static String error(JsonNode body) {
        return body.path("error").asText("unknown") + ": " + body.path("error_description").asText("");
    }
}
