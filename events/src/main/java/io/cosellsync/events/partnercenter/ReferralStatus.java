package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Partner Center {@code status}; wire values are PascalCase. */
public enum ReferralStatus {
    @JsonProperty("None")
    NONE,
    @JsonProperty("New")
    NEW,
    @JsonProperty("Active")
    ACTIVE,
    @JsonProperty("Closed")
    CLOSED;
}
