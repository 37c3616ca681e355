package io.cosellsync.partnercenter.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.partnercenter.Address;
import io.cosellsync.events.partnercenter.Consent;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.InviteContext;
import io.cosellsync.events.partnercenter.Member;
import io.cosellsync.events.partnercenter.ReferralDirection;
import io.cosellsync.events.partnercenter.ReferralQualification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralStatus;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.events.partnercenter.Solution;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Partner Center's referral JSON (partner-center-api.md §2) as our {@link ReferralSnapshot}: keys matched in any
 * casing, enum values case-insensitively, timestamps with any offset and up to seven fractional digits. Microsoft's
 * side of a co-sell engagement, when read, supplies the Microsoft CRM id if ours does not carry it.
 */
public final class ReferralWire {

    /** Microsoft's organisation id on its side of an engagement. */
    public static final String MICROSOFT = "msft";

    private ReferralWire() {
    }

    public static ReferralSnapshot snapshot(JsonNode referral, String eTagHeader, JsonNode microsofts) {
        String eTag = text(referral, "eTag");
        if (eTag == null) {
            eTag = eTagHeader;
        }
        String crmId = text(field(referral, "trackingInfo"), "microsoftMsxId");
        if (crmId == null && microsofts != null) {
            crmId = text(field(microsofts, "trackingInfo"), "microsoftMsxId");
        }
        JsonNode profile = field(referral, "customerProfile");
        JsonNode details = field(referral, "details");
        JsonNode consent = field(referral, "consent");
        JsonNode invite = field(referral, "inviteContext");
        return new ReferralSnapshot(text(referral, "id"), text(referral, "engagementId"), text(referral, "name"),
                text(referral, "externalReferenceId"), text(referral, "organizationId"),
                enumValue(ReferralStatus.class, text(referral, "status")),
                enumValue(ReferralSubstatus.class, text(referral, "substatus")), text(referral, "statusReason"),
                enumValue(ReferralType.class, text(referral, "type")),
                enumValue(ReferralQualification.class, text(referral, "qualification")),
                enumValue(ReferralDirection.class, text(referral, "direction")),
                instant(text(referral, "createdDateTime")), instant(text(referral, "updatedDateTime")),
                instant(text(referral, "expirationDateTime")), instant(text(referral, "acceptedDateTime")),
                instant(text(referral, "closedDateTime")), eTag,
                profile == null ? null : new Customer(text(profile, "name"), address(field(profile, "address")),
                        text(profile, "size"), members(field(profile, "team"))),
                consent == null ? null : new Consent(bool(consent, "consentToToShareInfoWithOthers"),
                        bool(consent, "consentToContact"), bool(consent, "consentToMicrosoftToContactSpecificPartners"),
                        bool(consent, "consentToShareReferralWithMicrosoftSellers")),
                details == null ? null : details(details, text(referral, "customerMarketplaceIntent")),
                members(field(referral, "team")),
                invite == null ? null : new InviteContext(text(invite, "notes"), text(invite, "assistanceRequestCode"),
                        text(field(invite, "invitedBy"), "organizationId"),
                        text(field(invite, "invitedBy"), "organizationName")),
                crmId, text(field(field(referral, "links"), "self"), "uri"));
    }

    /** @param topLevelIntent {@code customerMarketplaceIntent} of the referral, which wins over the attribute */
    private static Details details(JsonNode details, String topLevelIntent) {
        JsonNode requirements = field(details, "requirements");
        List<Solution> solutions = new ArrayList<>();
        JsonNode list = field(requirements, "solutions");
        if (list != null && list.isArray()) {
            for (JsonNode s : list) {
                if (text(s, "id") != null) {
                    solutions.add(new Solution(text(s, "id"), text(s, "name"), text(s, "type")));
                }
            }
        }
        String intent = topLevelIntent;
        JsonNode attributes = field(field(requirements, "additionalRequirements"), "attributes");
        if (attributes != null && attributes.isArray()) {
            for (JsonNode a : attributes) {
                if (intent == null && "CustomerMarketplaceIntent".equalsIgnoreCase(text(a, "type"))) {
                    intent = text(a, "id");
                }
            }
        }
        JsonNode value = field(details, "dealValue");
        return new Details(text(details, "notes"), value == null || !value.isNumber() ? null : value.decimalValue(),
                text(details, "currency"), instant(text(details, "closingDateTime")), solutions, intent);
    }

    private static Address address(JsonNode a) {
        return a == null ? null : new Address(text(a, "addressLine1"), text(a, "addressLine2"), text(a, "city"),
                text(a, "state"), text(a, "postalCode"), text(a, "country"), text(a, "region"));
    }

    private static List<Member> members(JsonNode list) {
        List<Member> out = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode m : list) {
                out.add(new Member(text(m, "firstName"), text(m, "lastName"), text(m, "email"),
                        text(m, "phoneNumber"), text(m, "title")));
            }
        }
        return out;
    }

    /** A property whatever the casing of its key; null when absent or JSON null. */
    public static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    public static String text(JsonNode object, String name) {
        JsonNode value = field(object, name);
        return value == null ? null : value.asText();
    }

    private static Boolean bool(JsonNode object, String name) {
        JsonNode value = field(object, name);
        return value == null ? null : value.asBoolean();
    }

    /** The referral's {@code updatedDateTime}, or null. */
    public static Instant updatedAt(JsonNode referral) {
        return instant(text(referral, "updatedDateTime"));
    }

    /** Microsoft's side of an engagement rather than a referral of ours. */
    public static boolean microsofts(JsonNode referral) {
        return MICROSOFT.equalsIgnoreCase(text(referral, "organizationId"));
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : OffsetDateTime.parse(value.endsWith("Z") || value
                .matches(".*[+-]\\d\\d:\\d\\d$") ? value : value + "Z").toInstant();
    }

    /** An enum constant by its wire name (its {@code @JsonProperty}), ignoring case; null for null. */
    private static <E extends Enum<E>> E enumValue(Class<E> type, String wire) {
        if (wire == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            try {
                JsonProperty property = type.getField(constant.name()).getAnnotation(JsonProperty.class);
                String name = property != null ? property.value() : constant.name();
                if (name.equalsIgnoreCase(wire)) {
                    return constant;
                }
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " value from Partner Center: " + wire);
    }
}
