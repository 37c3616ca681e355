package io.cosellsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.partnercenter.Address;
import io.cosellsync.events.partnercenter.Consent;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.InviteContext;
import io.cosellsync.events.partnercenter.Member;
import io.cosellsync.events.partnercenter.ReferralDraft;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.events.partnercenter.Solution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A referral snapshot as Partner Center's own JSON spells it (the field map's paths are Partner Center's, so the
 * same paths serve reading here and JSON Patch towards Partner Center).
 */
public final class ReferralDocument {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ReferralDocument() {
    }

    public static ObjectNode of(ReferralSnapshot r) {
        ObjectNode doc = JSON.objectNode();
        doc.put("id", r.referralId());
        doc.put("engagementId", r.engagementId());
        doc.put("name", r.name());
        doc.put("externalReferenceId", r.externalReferenceId());
        doc.put("organizationId", r.organizationId());
        doc.put("status", TenantMapping.wire(r.status()));
        doc.put("substatus", TenantMapping.wire(r.substatus()));
        doc.put("statusReason", r.statusReason());
        doc.put("type", TenantMapping.wire(r.type()));
        doc.put("qualification", r.qualification() == null ? null : TenantMapping.wire(r.qualification()));
        doc.put("direction", TenantMapping.wire(r.direction()));
        doc.put("createdDateTime", text(r.createdDateTime()));
        doc.put("updatedDateTime", text(r.updatedDateTime()));
        doc.put("eTag", r.eTag());
        body(doc, r.customer(), r.consent(), r.details(), r.team(), r.inviteContext());
        if (r.inviteContext() != null) {
            ((ObjectNode) doc.get("inviteContext")).putObject("invitedBy")
                    .put("organizationId", r.inviteContext().invitedByOrganizationId())
                    .put("organizationName", r.inviteContext().invitedByOrganizationName());
        }
        doc.putObject("trackingInfo").put("microsoftMsxId", r.microsoftCrmId());
        doc.putObject("links").putObject("self").put("uri", r.referralLink());
        return doc;
    }

    /**
     * The referral a draft asks Partner Center to create, in the API's JSON (partner-center-api.md §2): what
     * partnercenter-writer POSTs.
     */
    public static ObjectNode wire(ReferralDraft draft) {
        ObjectNode doc = JSON.objectNode();
        doc.put("name", draft.name());
        doc.put("externalReferenceId", draft.externalReferenceId());
        doc.put("type", TenantMapping.wire(draft.type()));
        doc.put("qualification", draft.qualification() == null ? null : TenantMapping.wire(draft.qualification()));
        body(doc, draft.customer(), draft.consent(), draft.details(), draft.team(), draft.inviteContext());
        return doc;
    }

    private static void body(ObjectNode doc, Customer c, Consent consent, Details d, List<Member> team,
            InviteContext invite) {
        if (c != null) {
            ObjectNode profile = doc.putObject("customerProfile");
            profile.put("name", c.name());
            profile.put("size", c.size());
            Address a = c.address();
            if (a != null) {
                ObjectNode address = profile.putObject("address");
                address.put("addressLine1", a.addressLine1());
                address.put("addressLine2", a.addressLine2());
                address.put("city", a.city());
                address.put("state", a.state());
                address.put("postalCode", a.postalCode());
                address.put("country", a.country());
                address.put("region", a.region());
            }
            members(profile.putArray("team"), c.contacts());
        }
        if (consent != null) {
            ObjectNode node = doc.putObject("consent");
            node.put("consentToToShareInfoWithOthers", consent.shareInfoWithOthers());
            node.put("consentToContact", consent.contact());
            node.put("consentToMicrosoftToContactSpecificPartners", consent.microsoftToContactSpecificPartners());
            node.put("consentToShareReferralWithMicrosoftSellers", consent.shareWithMicrosoftSellers());
        }
        if (d != null) {
            ObjectNode details = doc.putObject("details");
            details.put("notes", d.notes());
            details.put("dealValue", d.dealValue());
            details.put("currency", d.currency());
            details.put("closingDateTime", text(d.closingDateTime()));
            ArrayNode solutions = details.putObject("requirements").putArray("solutions");
            for (Solution s : d.solutions()) {
                solutions.addObject().put("id", s.id()).put("name", s.name()).put("type", s.type());
            }
            doc.put("customerMarketplaceIntent", d.marketplaceIntent());
        }
        members(doc.putArray("team"), team);
        if (invite != null) {
            ObjectNode node = doc.putObject("inviteContext");
            node.put("notes", invite.notes());
            node.put("assistanceRequestCode", invite.assistanceRequestCode());
        }
    }

    /**
     * The client-writable part of a referral document (Partner Center's JSON, as {@link FieldMapper#toPartnerCenter}
     * makes it) as the draft partnercenter-writer POSTs.
     */
    public static ReferralDraft draft(JsonNode doc, String externalReferenceId, ReferralType type) {
        JsonNode profile = doc.path("customerProfile");
        JsonNode a = profile.path("address");
        Customer customer = profile.isObject() ? new Customer(str(profile, "name"), a.isObject()
                ? new Address(str(a, "addressLine1"), str(a, "addressLine2"), str(a, "city"), str(a, "state"),
                        str(a, "postalCode"), str(a, "country"), str(a, "region")) : null, str(profile, "size"),
                members(profile.path("team"))) : null;
        JsonNode c = doc.path("consent");
        Consent consent = new Consent(bool(c, "consentToToShareInfoWithOthers"), bool(c, "consentToContact"),
                bool(c, "consentToMicrosoftToContactSpecificPartners"),
                bool(c, "consentToShareReferralWithMicrosoftSellers"));
        JsonNode d = doc.path("details");
        List<Solution> solutions = new ArrayList<>();
        for (JsonNode s : d.path("requirements").path("solutions")) {
            solutions.add(new Solution(str(s, "id"), str(s, "name"), str(s, "type")));
        }
        Details details = new Details(str(d, "notes"), d.hasNonNull("dealValue") ? d.get("dealValue").decimalValue()
                : null, str(d, "currency"), d.hasNonNull("closingDateTime") ? Instant.parse(d.get("closingDateTime")
                        .asText()) : null, solutions, str(doc, "customerMarketplaceIntent"));
        JsonNode invite = doc.path("inviteContext");
        InviteContext context = invite.isObject() ? new InviteContext(str(invite, "notes"),
                str(invite, "assistanceRequestCode"), null, null) : null;
        return new ReferralDraft(str(doc, "name"), externalReferenceId, type, null, customer, consent, details,
                members(doc.path("team")), context);
    }

    private static List<Member> members(JsonNode array) {
        List<Member> members = new ArrayList<>();
        for (JsonNode m : array) {
            members.add(new Member(str(m, "firstName"), str(m, "lastName"), str(m, "email"), str(m, "phoneNumber"),
                    str(m, "title")));
        }
        return members;
    }

    private static String str(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asBoolean();
    }

    private static void members(ArrayNode array, List<Member> members) {
        for (Member m : members) {
            array.addObject().put("firstName", m.firstName()).put("lastName", m.lastName()).put("email", m.email())
                    .put("phoneNumber", m.phoneNumber()).put("title", m.title());
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
