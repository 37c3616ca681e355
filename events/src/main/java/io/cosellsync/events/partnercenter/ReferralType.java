package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Partner Center referral {@code type}: visible to one party, or shared (co-sell). */
public enum ReferralType {
    @JsonProperty("Independent")
    INDEPENDENT,
    @JsonProperty("Shared")
    SHARED;
}
