package io.cosellsync.partnercenter.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts refresh tokens at rest with AES-256-GCM. The tenant id is authenticated data, so a ciphertext copied to
 * another tenant's row does not decrypt; {@link #keyId()} names the key (a hash prefix), so rows written under an
 * older key are recognised after a key change instead of failing obscurely.
 */
public final class CredentialCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(byte[] keyBytes) {
        if (keyBytes.length != 32) {
            throw new IllegalArgumentException("the credential key must be 32 bytes (256 bits), base64-encoded; got "
                    + keyBytes.length + " bytes");
        }
        this.key = new SecretKeySpec(keyBytes.clone(), "AES");
        try {
            this.keyId = HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256")
                    .digest(keyBytes), 6));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CredentialCipher fromBase64(String base64Key) {
        try {
            return new CredentialCipher(Base64.getDecoder().decode(base64Key.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the credential key is not valid base64 of 32 bytes", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** Base64 of nonce ‖ ciphertext ‖ tag. */
    public String encrypt(String tenant, String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenant.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** The secret; fails for another tenant's ciphertext, another key or any tampering. */
    public String decrypt(String tenant, String encrypted) {
        try {
            byte[] in = Base64.getDecoder().decode(encrypted);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(tenant.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored credential of tenant " + tenant + " cannot be decrypted with "
                    + "key " + keyId + " (wrong key, another tenant's value, or tampered)");
        }
    }
}
