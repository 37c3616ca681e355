package io.cosellsync.simulator.partnercenter.referrals;

import io.cosellsync.simulator.partnercenter.api.ApiException;

/**
 * Every rule by which the simulator refuses a referral write, as the real service does. Each refusal is a 400 (or
 * the stated status) whose {@code code} is the rule's and whose message names the field. Each entry has a contract
 * test; {@code ValidationRuleCoverageTest} fails when one has none.
 */
public enum ValidationRule {
    MALFORMED_BODY("InvalidInput", "the body or a property has the wrong JSON type"),
    REQUIRED_FIELD("RequiredFieldMissing", "name, type, customerProfile, consent and details are required on create"),
    ENUM_VALUE("InvalidEnumValue", "status, substatus, type, qualification and direction take documented values"),
    COUNTRY_CODE("InvalidCountryCode", "customerProfile.address.country is a two-letter ISO 3166 code, required"),
    CURRENCY_CODE("InvalidCurrencyCode", "details.currency is an ISO 4217 code"),
    DEAL_VALUE("InvalidDealValue", "details.dealValue is a number >= 0"),
    STATUS_PAIR("InvalidStatusSubstatus", "substatus must belong to status (New: Pending/Received; Active: Accepted;"
            + " Closed: Won/Lost/Declined/Expired)"),
    STATUS_TRANSITION("InvalidStateTransition", "New -> Active/Closed, Active -> Closed; Won/Lost only from Active,"
            + " Declined only from New, Expired only by Partner Center"),
    CLOSED_IS_FINAL("ReferralClosed", "a closed referral cannot be changed"),
    CO_SELL_NEEDS_CONTACT("CustomerContactRequired", "a co-sell referral (Shared with an assistance code) needs a"
            + " customer contact"),
    CO_SELL_NEEDS_SOLUTION("SolutionRequired", "a co-sell referral needs at least one solution"),
    VISIBILITY_NOT_WITHDRAWN("VisibilityCannotBeWithdrawn", "consentToShareReferralWithMicrosoftSellers cannot go"
            + " back to false"),
    MARKETPLACE_INTENT("InvalidMarketplaceIntent", "a CustomerMarketplaceIntent attribute is Yes, No or"
            + " HaveNotDecided"),
    READ_ONLY_FIELD("ReadOnlyProperty", "server-owned properties cannot be patched"),
    PATCH_OPERATION("UnsupportedPatchOperation", "JSON Patch supports add and replace only");

    private final String code;
    private final String rule;

    ValidationRule(String code, String rule) {
        this.code = code;
        this.rule = rule;
    }

    public String code() {
        return code;
    }

    /** The rule in words (for the module README and error descriptions). */
    public String rule() {
        return rule;
    }

    public ApiException violation(String message) {
        return new ApiException(400, code, message);
    }
}
