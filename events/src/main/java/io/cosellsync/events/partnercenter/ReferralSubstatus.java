package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Partner Center {@code substatus}; wire values are PascalCase. */
public enum ReferralSubstatus {
    @JsonProperty("None")
    NONE,
    @JsonProperty("Pending")
    PENDING,
    @JsonProperty("Received")
    RECEIVED,
    @JsonProperty("Accepted")
    ACCEPTED,
    @JsonProperty("Won")
    WON,
    @JsonProperty("Lost")
    LOST,
    @JsonProperty("Declined")
    DECLINED,
    @JsonProperty("Expired")
    EXPIRED;
}
