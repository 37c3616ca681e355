package io.cosellsync.partnercenter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef"
            .getBytes());

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        CredentialCipher cipher = CredentialCipher.fromBase64(KEY);
        String first = cipher.encrypt("contoso", "refresh-token-1");
        assertEquals("refresh-token-1", cipher.decrypt("contoso", first));
        assertNotEquals(first, cipher.encrypt("contoso", "refresh-token-1"));
    }

    @Test
    void aCiphertextOnlyOpensForItsTenantAndKeyAndUntouched() {
        CredentialCipher cipher = CredentialCipher.fromBase64(KEY);
        String sealed = cipher.encrypt("contoso", "refresh-token-1");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("fabrikam", sealed));
        assertThrows(IllegalStateException.class, () -> CredentialCipher.fromBase64(OTHER_KEY).decrypt("contoso",
                sealed));
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("contoso",
                Base64.getEncoder().encodeToString(bytes)));
        assertNotEquals(cipher.keyId(), CredentialCipher.fromBase64(OTHER_KEY).keyId());
    }

    @Test
    void keysMustBe256Bits() {
        assertThrows(IllegalArgumentException.class, () -> CredentialCipher.fromBase64(
                Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> CredentialCipher.fromBase64("not base64!"));
    }
}
