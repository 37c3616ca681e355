package io.cosellsync.partnercenter.client;

/**
 * The two APIs co-sell sync calls with delegated tokens, each with its own token audience: a Referrals API token is
 * refused by the webhook registration API and the other way round (partner-center-api.md §1, §4).
 */
public enum Audience {
    REFERRALS("https://api.partner.microsoft.com/.default"),
    WEBHOOK_REGISTRATION("https://api.partnercenter.microsoft.com/.default");

    private final String scope;

    Audience(String scope) {
        this.scope = scope;
    }

    /** The scope asked for, with {@code offline_access} so that a refresh token comes back. */
    public String scope() {
        return scope + " offline_access";
    }
}
