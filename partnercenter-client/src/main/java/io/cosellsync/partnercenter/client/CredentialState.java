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
    /**
     * Partner Center refuses the sign-in's tokens because it did no multi-factor authentication (401, error 900421,
     * enforced since April 2026): refreshing cannot add MFA, so an operator must sign in again with MFA.
     */
    MFA_REQUIRED(false),
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
