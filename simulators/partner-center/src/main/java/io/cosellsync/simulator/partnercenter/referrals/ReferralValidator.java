package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/** The content rules a referral must satisfy after every write (create, PATCH, PUT). */
final class ReferralValidator {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> INTENTS = Set.of("Yes", "No", "HaveNotDecided");

    private ReferralValidator() {
    }

    static void validate(ObjectNode referral) {
        JsonNode country = referral.path("customerProfile").path("address").path("country");
        if (country.isNull() || country.isMissingNode() || !COUNTRIES.contains(country.asText())) {
            throw ValidationRule.COUNTRY_CODE.violation("'customerProfile.address.country' must be a two-letter ISO"
                    + " 3166 code" + (country.isNull() || country.isMissingNode() ? "" : ", not '" + country.asText()
                    + "'"));
        }
        JsonNode currency = referral.path("details").path("currency");
        if (!currency.isNull() && !currency.isMissingNode() && !isCurrency(currency.asText())) {
            throw ValidationRule.CURRENCY_CODE.violation("'details.currency' must be an ISO 4217 code, not '"
                    + currency.asText() + "'");
        }
        JsonNode dealValue = referral.path("details").path("dealValue");
        if (!dealValue.isNull() && !dealValue.isMissingNode()
                && (!dealValue.isNumber() || dealValue.decimalValue().signum() < 0)) {
            throw ValidationRule.DEAL_VALUE.violation("'details.dealValue' must be a number >= 0");
        }
        String assistance = referral.path("inviteContext").path("assistanceRequestCode").asText("");
        boolean coSell = referral.path("type").asText().equals("Shared") && !assistance.isEmpty()
                && !assistance.equals("Unknown") && !assistance.equals("null");
        if (coSell) {
            boolean hasContact = false;
            for (JsonNode member : referral.path("customerProfile").path("team")) {
                hasContact |= member.hasNonNull("email") || member.hasNonNull("phoneNumber");
            }
            if (!hasContact) {
                throw ValidationRule.CO_SELL_NEEDS_CONTACT.violation("'customerProfile.team' needs a customer contact"
                        + " with e-mail or phone for a co-sell referral");
            }
            if (referral.path("details").path("requirements").path("solutions").isEmpty()) {
                throw ValidationRule.CO_SELL_NEEDS_SOLUTION.violation(
                        "'details.requirements.solutions' needs at least one solution for a co-sell referral");
            }
        }
        for (JsonNode attribute : referral.path("details").path("requirements").path("additionalRequirements")
                .path("attributes")) {
            if ("CustomerMarketplaceIntent".equalsIgnoreCase(attribute.path("type").asText())
                    && !INTENTS.contains(attribute.path("id").asText())) {
                throw ValidationRule.MARKETPLACE_INTENT.violation("'details.requirements.additionalRequirements"
                        + ".attributes' CustomerMarketplaceIntent must be Yes, No or HaveNotDecided, not '"
                        + attribute.path("id").asText() + "'");
            }
        }
    }

    private static boolean isCurrency(String code) {
        try {
            return code.length() == 3 && Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
