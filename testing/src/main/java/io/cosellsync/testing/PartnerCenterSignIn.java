package io.cosellsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** The Partner Center simulator's seeded app registrations, and signing in to it as an operator does. */
public final class PartnerCenterSignIn {

    public static final String CONTOSO_CLIENT = "3f9e6c1a-0d4b-4e8f-a2c7-5b1d9e3f7a60";
    public static final String FABRIKAM_CLIENT = "7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d50";
    /** The seeded directories, by tenant. */
    public static final Map<String, String> DIRECTORIES = Map.of("contoso", "contoso", "fabrikam",
            "fabrikam.onmicrosoft.com");
    public static final Map<String, String> CLIENTS = Map.of("contoso", CONTOSO_CLIENT, "fabrikam", FABRIKAM_CLIENT);

    private PartnerCenterSignIn() {
    }

    /**
     * The device code flow at a Partner Center simulator, as an operator completes it: the tokens Entra answers
     * (access and refresh token) for a seeded tenant's app and user. Each call is a sign-in of its own.
     */
    public static JsonNode deviceSignIn(String simulatorUrl, String tenant, String user) {
        String base = simulatorUrl + "/" + DIRECTORIES.get(tenant) + "/oauth2/v2.0/";
        JsonNode code = JsonHttp.send(HttpRequest.newBuilder(URI.create(base + "devicecode"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("client_id", CLIENTS.get(tenant), "scope",
                        "https://api.partner.microsoft.com/.default offline_access")))));
        JsonHttp.send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/_sim/devicelogin"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(
                        Map.of("user_code", code.get("user_code").asText(), "username", user)))));
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(base + "token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type",
                        "urn:ietf:params:oauth:grant-type:device_code", "device_code",
                        code.get("device_code").asText(), "client_id", CLIENTS.get(tenant))))));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
