package io.cosellsync.simulator.partnercenter.faults;

/**
 * The faults the simulator can inject, per tenant, off by default. A value is a ratio in [0, 1] (the share of
 * requests or events affected), except {@link #LATENCY}, whose value is milliseconds added to every Referrals API
 * call. Each injection is counted ({@code GET /_sim/tenants/{tenant}/faults}).
 */
public enum Fault {
    /** Milliseconds of delay before each Referrals API call is answered. */
    LATENCY,
    /** Share of Referrals API calls answered 503. */
    SERVER_ERROR,
    /** Share of Referrals API calls answered 429 with Retry-After. */
    THROTTLE,
    /** Share of webhook notifications never sent. */
    WEBHOOK_DROP,
    /** Share of webhook notifications sent twice. */
    WEBHOOK_DUPLICATE,
    /** Share of webhook notifications held back so that the next one overtakes them. */
    WEBHOOK_REORDER,
    /** Share of valid access tokens refused as if revoked early. */
    ACCESS_TOKEN_REVOCATION,
    /** Share of refresh-token redemptions refused as if the refresh token had been revoked. */
    REFRESH_TOKEN_REVOCATION,
    /** Share of referral reads after which "Microsoft" edits the referral, so the reader's eTag is stale. */
    ETAG_CHURN
}
