package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Partner Center {@code qualification}. */
public enum ReferralQualification {
    @JsonProperty("None")
    NONE,
    @JsonProperty("Direct")
    DIRECT,
    @JsonProperty("MarketingQualified")
    MARKETING_QUALIFIED,
    @JsonProperty("SalesQualified")
    SALES_QUALIFIED;
}
