package io.cosellsync.testing.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The operator's one-time Partner Center sign-in, done for the local run against the simulator: asks ingress's
 * admin API to start the device code flow for each tenant, then "enters the code" as the tenant's Referrals admin
 * at the simulator (its stand-in for Microsoft's sign-in page), and waits until ingress reports the tenant signed in.
 *
 * First it saves the simulator's webhook-signing root (its {@code /_sim/webhooks/ca.pem}) where ingress is configured
 * to read its trust anchors; last it creates two referrals per tenant in the simulator, which reach ingress by
 * webhook (or by its reconciliation poller).
 *
 * <pre>OperatorSignIn &lt;ingress-url&gt; &lt;admin-key&gt; &lt;simulator-url&gt; &lt;tenant=user,…&gt; &lt;ca-file&gt;</pre>
 */
public final class OperatorSignIn {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OperatorSignIn() {
    }

    public static void main(String[] args) throws Exception {
        String ingress = args[0];
        String adminKey = args[1];
        String simulator = args[2];
        HttpResponse<String> ca = HTTP.send(HttpRequest.newBuilder(URI.create(simulator + "/_sim/webhooks/ca.pem"))
                .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (ca.statusCode() != 200) {
            throw new IllegalStateException("the simulator's webhook root is not available: " + ca.statusCode());
        }
        Files.writeString(Path.of(args[4]), ca.body());
        for (String pair : args[3].split(",")) {
            String tenant = pair.substring(0, pair.indexOf('='));
            String user = pair.substring(pair.indexOf('=') + 1);
            JsonNode started = send(HttpRequest.newBuilder(URI.create(ingress + "/admin/tenants/" + tenant
                    + "/partner-center/sign-in")).header("Authorization", "Bearer " + adminKey)
                    .POST(HttpRequest.BodyPublishers.noBody()), 202);
            send(HttpRequest.newBuilder(URI.create(simulator + "/_sim/devicelogin"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode()
                            .put("user_code", started.get("userCode").asText()).put("username", user)))), 200);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            String state = "";
            while (!state.equals("SIGNED_IN")) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(tenant + " is not signed in after 60 s (state " + state + ")");
                }
                Thread.sleep(500);
                state = send(HttpRequest.newBuilder(URI.create(ingress + "/admin/tenants/" + tenant
                        + "/partner-center/auth")).header("Authorization", "Bearer " + adminKey).GET(), 200)
                        .path("state").asText();
            }
            System.out.println("signed in " + tenant + " to Partner Center as " + user);
        }
        for (String pair : args[3].split(",")) {
            String tenant = pair.substring(0, pair.indexOf('='));
            send(HttpRequest.newBuilder(URI.create(simulator + "/_sim/tenants/" + tenant + "/seed?count=2"))
                    .POST(HttpRequest.BodyPublishers.noBody()), 200);
            System.out.println("created 2 referrals of " + tenant + " in the Partner Center simulator");
        }
    }

    private static JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    }
}
