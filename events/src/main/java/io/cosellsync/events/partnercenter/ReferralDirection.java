package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the partner received the referral or sent it. */
public enum ReferralDirection {
    @JsonProperty("Incoming")
    INCOMING,
    @JsonProperty("Outgoing")
    OUTGOING;
}
