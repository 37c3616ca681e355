package io.cosellsync.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which way a mapped value travels. */
public enum Direction {
    @JsonProperty("both")
    BOTH,
    @JsonProperty("to-salesforce")
    TO_SALESFORCE,
    @JsonProperty("to-partner-center")
    TO_PARTNER_CENTER;

    public boolean toSalesforce() {
        return this != TO_PARTNER_CENTER;
    }

    public boolean toPartnerCenter() {
        return this != TO_SALESFORCE;
    }
}
