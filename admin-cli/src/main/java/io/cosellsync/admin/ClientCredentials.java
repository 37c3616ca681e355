package io.cosellsync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An access token for an unattended caller (a Kubernetes Job, a script) from the release's identity provider: the
 * OAuth 2.0 client credentials grant at its token endpoint, e.g. Entra ID's
 * {@code https://login.microsoftonline.com/<directory>/oauth2/v2.0/token} with scope
 * {@code api://<admin-app>/.default}; the app's roles ({@code ops}, {@code ops:<tenant>}) come in the token.
 */
final class ClientCredentials {

    private ClientCredentials() {
    }

    static String token(URI tokenUrl, String clientId, String secret, String scope) {
        String form = Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
                "scope", scope).entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(HttpRequest
                    .newBuilder(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AdminApi.Unavailable("no token from " + tokenUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminApi.Unavailable("interrupted");
        }
        JsonNode body;
        try {
            body = AdminApi.JSON.readTree(response.body());
        } catch (IOException e) {
            body = AdminApi.JSON.missingNode();
        }
        if (response.statusCode() >= 500) {
            throw new AdminApi.Unavailable("the identity provider failed (" + response.statusCode() + ")");
        }
        if (response.statusCode() >= 400 || !body.path("access_token").isTextual()) {
            // the provider's error and its description; never the secret
            throw new AdminApi.Refused(response.statusCode(), "the identity provider gave no token: "
                    + body.path("error").asText("status " + response.statusCode()) + " "
                    + body.path("error_description").asText(""));
        }
        return body.path("access_token").asText();
    }
}
