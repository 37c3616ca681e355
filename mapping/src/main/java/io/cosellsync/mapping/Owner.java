package io.cosellsync.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who wins a value both sides changed. {@code LATEST} compares Partner Center's {@code updatedDateTime} of the
 * referral (Partner Center keeps no per-field clock) with the Salesforce {@code commitTimestamp} of the last change
 * event whose {@code changedFields} named the field; a tie goes to Partner Center.
 */
public enum Owner {
    @JsonProperty("partner-center")
    PARTNER_CENTER,
    @JsonProperty("salesforce")
    SALESFORCE,
    @JsonProperty("latest")
    LATEST,
    /** Set when the record is created on the receiving side and never overwritten by the other side afterwards. */
    @JsonProperty("never-overwrite-inbound")
    NEVER_OVERWRITE_INBOUND
}
