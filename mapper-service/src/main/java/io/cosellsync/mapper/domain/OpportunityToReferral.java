package io.cosellsync.mapper.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.partnercenter.ReferralDraft;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.MappingException;
import io.cosellsync.mapping.ReferralDocument;
import io.cosellsync.mapping.SalesforceImage;
import io.cosellsync.mapping.SalesforceImages;
import io.cosellsync.mapping.TenantMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Salesforce → Partner Center, the first decision on an opportunity snapshot: whether it is synced at all, and for
 * an opportunity without a referral yet, the referral to create — private, partner-led or co-sell from the
 * visibility and "how can Microsoft help" fields — or the reasons a seller must fix first, found before any Partner
 * Center call (pre-flight). An opportunity that has a referral goes on to the update path: its image, which the
 * partnercenter-writer applies onto the referral's current state; not while it is in the pending stage, whose
 * changes are not sent. Pure: no I/O.
 */
public final class OpportunityToReferral {

    static final String SYNC_OFF = "SYNC_OFF";
    static final String SYNC_SWITCHED_OFF = "SYNC_SWITCHED_OFF";
    static final String NOT_SHARED_WHILE_PENDING = "PENDING_STAGE";
    static final String CLOSED_BEFORE_SHARING = "CLOSED_BEFORE_SHARING";
    static final String PREFLIGHT = "PREFLIGHT_FAILED";
    private static final String OPPORTUNITY = "Opportunity.";

    private OpportunityToReferral() {
    }

    /** What to do with one snapshot. */
    public sealed interface Plan {
    }

    /** Create the opportunity's referral. */
    public record Create(CreateReferralCommand command) implements Plan {
    }

    /** The opportunity has a referral: its changes go through the update path. */
    public record Update(String referralId, SalesforceImage image) implements Plan {
    }

    /** Nothing to send, on purpose; {@code report} when the seller should be told (Audit). */
    public record Skip(String reasonCode, String message, boolean report) implements Plan {
    }

    /** Not sent: every problem the seller must fix, in one message; no Partner Center call was made. */
    public record Refused(String reasonCode, List<String> problems) implements Plan {

        public String message() {
            return String.join("; ", problems);
        }
    }

    public static Plan plan(OpportunitySnapshot snapshot, FieldMapper mapper) {
        TenantMapping tenant = mapper.tenant();
        String referralId = text(snapshot, tenant, "Referral_Identifier__c");
        boolean sync = Boolean.TRUE.equals(value(snapshot, tenant, "Sync_with_Partner_Center__c"));
        if (!sync) {
            return referralId == null
                    ? new Skip(SYNC_OFF, "Sync with Partner Center is off", false)
                    : new Skip(SYNC_SWITCHED_OFF, "Sync with Partner Center was switched off: referral " + referralId
                            + " is no longer updated from this opportunity", true);
        }
        SalesforceImage image = withImpliedVisibility(SalesforceImages.of(snapshot, tenant), snapshot, tenant);
        String stage = (String) snapshot.opportunity().field("StageName");
        if (referralId != null) {
            // leaving the pending stage is the move that accepts or declines: until then nothing is sent
            return stage != null && stage.equals(tenant.pendingStage())
                    ? new Skip(NOT_SHARED_WHILE_PENDING, "changes in the pending stage '" + stage + "' are not sent"
                            + " to Partner Center", false)
                    : new Update(referralId, image);
        }
        if (stage != null && stage.equals(tenant.pendingStage())) {
            return new Skip(NOT_SHARED_WHILE_PENDING, "an opportunity in the pending stage '" + stage + "' is not"
                    + " shared with Partner Center", true);
        }
        if (Boolean.TRUE.equals(snapshot.opportunity().field("IsClosed"))) {
            return new Skip(CLOSED_BEFORE_SHARING, "a closed opportunity is not shared with Partner Center", true);
        }
        return create(snapshot, mapper, image);
    }

    private static Plan create(OpportunitySnapshot snapshot, FieldMapper mapper, SalesforceImage image) {
        TenantMapping tenant = mapper.tenant();
        List<String> problems = new ArrayList<>();
        boolean help = text(snapshot, tenant, "How_can_Microsoft_help__c") != null;
        boolean visible = Boolean.TRUE.equals(image.record("Opportunity").get(tenant.fieldName(OPPORTUNITY
                + "Microsoft_Visibility__c")));
        String countryField = tenant.apiName("Account.BillingCountry");
        if (snapshot.account() == null) {
            problems.add("the opportunity has no account: the customer of a referral is its account");
        } else {
            Object country = snapshot.account().field(tenant.fieldName("Account.BillingCountry"));
            if (!(country instanceof String code) || !code.trim().matches("[A-Za-z]{2}")) {
                problems.add("the account's " + countryField + " must hold the customer's two-letter ISO 3166"
                        + " country code (e.g. US)" + (country == null ? "" : ", not '" + country + "'"));
            }
        }
        if (snapshot.solutions().isEmpty()) {
            problems.add("add at least one Microsoft Partner Center solution");
        }
        if (help && snapshot.contactRoles().isEmpty()) {
            problems.add("Microsoft's help is requested (co-sell): add a customer contact as a contact role");
        }
        if (!problems.isEmpty()) {
            return new Refused(PREFLIGHT, problems);
        }
        ObjectNode document;
        try {
            document = mapper.toPartnerCenter(image, JsonNodeFactory.instance.objectNode());
        } catch (MappingException e) {
            return new Refused(PREFLIGHT, List.of(e.getMessage()));
        }
        // the consent is what makes a referral private or visible: always said, also when the box is empty
        document.with("consent").put("consentToShareReferralWithMicrosoftSellers", visible);
        ReferralDraft draft = ReferralDocument.draft(document, snapshot.opportunityId(),
                help ? ReferralType.SHARED : ReferralType.INDEPENDENT);
        return new Create(new CreateReferralCommand(snapshot.opportunityId(), draft, help));
    }

    /**
     * Requesting Microsoft's help makes a referral visible to Microsoft sellers whatever the visibility checkbox says:
     * the image says so, for a new referral (its consent) and an existing one alike (an unticked box is not read as
     * withdrawing the visibility).
     */
    private static SalesforceImage withImpliedVisibility(SalesforceImage image, OpportunitySnapshot snapshot,
            TenantMapping tenant) {
        if (text(snapshot, tenant, "How_can_Microsoft_help__c") == null) {
            return image;
        }
        Map<String, Map<String, Object>> records = new LinkedHashMap<>(image.records());
        Map<String, Object> opportunity = new LinkedHashMap<>(image.record("Opportunity"));
        opportunity.put(tenant.fieldName(OPPORTUNITY + "Microsoft_Visibility__c"), true);
        records.put("Opportunity", opportunity);
        return new SalesforceImage(records, image.collections());
    }

    private static Object value(OpportunitySnapshot snapshot, TenantMapping tenant, String field) {
        return snapshot.opportunity().field(tenant.fieldName(OPPORTUNITY + field));
    }

    private static String text(OpportunitySnapshot snapshot, TenantMapping tenant, String field) {
        Object value = value(snapshot, tenant, field);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
