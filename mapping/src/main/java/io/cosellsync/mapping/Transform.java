package io.cosellsync.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a value changes between the two sides, and how many Partner Center paths it reads. The behaviour of each is
 * in {@link Values}; mapping/README.md describes them for operators.
 */
public enum Transform {
    /** Text as is; Salesforce stores no empty text, so "" arrives as null. */
    @JsonProperty("text")
    TEXT(1),
    /** Opportunity name: at most 120 characters; the ✔/✖ check mark is Salesforce-only and stripped on the way back. */
    @JsonProperty("name")
    NAME(1),
    /** A decimal at Salesforce's currency scale (2 places, half-up). */
    @JsonProperty("decimal")
    DECIMAL(1),
    /** An ISO 4217 code, upper case. */
    @JsonProperty("currency")
    CURRENCY(1),
    /** Partner Center date-time ⇄ Salesforce date: the UTC calendar day; back as that day's 00:00 UTC. */
    @JsonProperty("utc-date")
    UTC_DATE(1),
    /** Partner Center status and substatus ⇄ a stage name, through the tenant's stage settings. */
    @JsonProperty("stage")
    STAGE(2),
    /** A value through one of the tenant's picklist maps (Partner Center code ⇄ Salesforce picklist value). */
    @JsonProperty("picklist")
    PICKLIST(1),
    /** A Partner Center boolean ⇄ a checkbox, which cannot be empty: absent is false. */
    @JsonProperty("checkbox")
    CHECKBOX(1),
    /** ISO 3166 alpha-2 country code, upper case. */
    @JsonProperty("country-code")
    COUNTRY_CODE(1),
    /** Two address lines ⇄ one street field, joined by a line break. */
    @JsonProperty("street")
    STREET(2),
    /**
     * The first of two paths that has a value (state, else region); a changed value goes back to the first and clears
     * the second.
     */
    @JsonProperty("first-present")
    FIRST_PRESENT(2),
    /** The referral id ⇄ the Referral Link: the tenant's link template ({@code referralLink}); never goes back. */
    @JsonProperty("referral-link")
    REFERRAL_LINK(1),
    /** Always true (the sync flag of an opportunity made from a referral); reads nothing. */
    @JsonProperty("constant-true")
    CONSTANT_TRUE(0);

    /** The longest opportunity name {@link #NAME} writes (Salesforce's Opportunity.Name holds 120). */
    public static final int NAME_LENGTH = 120;

    private final int paths;

    Transform(int paths) {
        this.paths = paths;
    }

    /** How many Partner Center paths the transform reads and writes. */
    public int paths() {
        return paths;
    }
}
