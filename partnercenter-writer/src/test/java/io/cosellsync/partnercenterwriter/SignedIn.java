package io.cosellsync.partnercenterwriter;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.partnercenter.client.CredentialCipher;
import io.cosellsync.testing.PartnerCenterSignIn;
import io.cosellsync.testing.PartnerCenterSimulator;
import io.cosellsync.testing.TestDatabase;
import java.util.Map;

/**
 * What ingress and an operator leave behind for the writer (ADR 0003): the credential table ingress migrates, and a
 * tenant's refresh token from a device-code sign-in at the simulator, encrypted with the shared key.
 */
final class SignedIn {

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

    static synchronized void ensure(String tenant) {
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
    static String accessToken(String tenant) {
        return deviceSignIn(tenant).get("access_token").asText();
    }

    private static JsonNode deviceSignIn(String tenant) {
        return PartnerCenterSignIn.deviceSignIn(PartnerCenterSimulator.url(), tenant, USERS.get(tenant));
    }
}
