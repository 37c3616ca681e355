package io.cosellsync.partnercenterwriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.partnercenter.client.CredentialCipher;
import io.cosellsync.testing.PartnerCenterSimulator;
import io.cosellsync.testing.TestDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What ingress and an operator leave behind for the writer (ADR 0003): the credential table ingress migrates, and a
 * tenant's refresh token from a device-code sign-in at the simulator, encrypted with the shared key.
 */
final class SignedIn {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> USERS = Map.of("contoso", "integration@contoso.example", "fabrikam",
            "integration@fabrikam-partners.example");

    private SignedIn() {
    }

    /** The table as ingress's migration V2 makes it (this JVM has no ingress). */
    static void credentialTable() {
        TestDatabase.execute("CREATE SCHEMA IF NOT EXISTS ingress");
        TestDatabase.execute("""
                CREATE TABLE IF NOT EXISTS ingress.partner_center_credential (
                    tenant_id text PRIMARY KEY, encrypted_refresh_token text NOT NULL, key_id text NOT NULL,
                    signed_in_as text, signed_in_at timestamptz NOT NULL, rotated_at timestamptz NOT NULL,
                    version bigint NOT NULL DEFAULT 1, state text NOT NULL, last_error text)""");
    }

    static synchronized void ensure(String tenant) throws Exception {
        credentialTable();
        if (TestDatabase.count("SELECT count(*) FROM ingress.partner_center_credential WHERE tenant_id = ?"
                + " AND state = 'SIGNED_IN'", tenant) == 1) {
            return;
        }
        JsonNode tokens = deviceSignIn(tenant);
        CredentialCipher cipher = CredentialCipher.fromBase64(PartnerCenterSimulator.credentialKey());
        TestDatabase.execute("DELETE FROM ingress.partner_center_credential WHERE tenant_id = ?", tenant);
        TestDatabase.execute("INSERT INTO ingress.partner_center_credential (tenant_id, encrypted_refresh_token,"
                + " key_id, signed_in_as, signed_in_at, rotated_at, state) VALUES (?, ?, ?, ?, now(), now(),"
                + " 'SIGNED_IN')", tenant, cipher.encrypt(tenant, tokens.get("refresh_token").asText()),
                cipher.keyId(), USERS.get(tenant));
    }

    /** An access token of a sign-in of its own (the stored refresh token is the writer's to rotate). */
    static String accessToken(String tenant) throws Exception {
        return deviceSignIn(tenant).get("access_token").asText();
    }

    private static JsonNode deviceSignIn(String tenant) throws Exception {
        String directory = PartnerCenterSimulator.DIRECTORIES.get(tenant);
        String client = PartnerCenterSimulator.CLIENTS.get(tenant);
        String base = PartnerCenterSimulator.url() + "/" + directory + "/oauth2/v2.0/";
        JsonNode code = post(base + "devicecode", form(Map.of("client_id", client, "scope",
                "https://api.partner.microsoft.com/.default offline_access")), "application/x-www-form-urlencoded");
        post(PartnerCenterSimulator.url() + "/_sim/devicelogin", JSON.writeValueAsString(Map.of("user_code",
                code.get("user_code").asText(), "username", USERS.get(tenant))), "application/json");
        return post(base + "token", form(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", code.get("device_code").asText(), "client_id", client)),
                "application/x-www-form-urlencoded");
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static JsonNode post(String url, String body, String type) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
