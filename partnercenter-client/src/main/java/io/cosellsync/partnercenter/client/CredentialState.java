package io.cosellsync.partnercenter.client;

/** Where a tenant's Partner Center credential stands. */
public enum CredentialState {
    /** Nobody has signed in for this tenant yet. */
    NOT_SIGNED_IN(false),
    /** A refresh token is stored and was accepted the last time it was used. */
    SIGNED_IN(true),
    /** Entra refused the stored refresh token (revoked, expired, password changed): an operator must sign in again. */
    REJECTED(false),
    /** The stored token cannot be decrypted with the configured key. */
    UNREADABLE(false),
    /** Entra could not be reached the last time; the token may still be good. */
    UNREACHABLE(true);

    private final boolean healthy;

    CredentialState(boolean healthy) {
        this.healthy = healthy;
    }

    /** Whether sync can go on: an unreachable Entra is retried, the others need an operator. */
    public boolean healthy() {
        return healthy;
    }
}
