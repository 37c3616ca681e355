package io.cosellsync.mapper.domain;

import io.cosellsync.events.command.AccountUpsert;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.partnercenter.InviteContext;
import io.cosellsync.events.partnercenter.ReferralDirection;
import io.cosellsync.events.partnercenter.ReferralQualification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralStatus;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.MappingException;
import io.cosellsync.mapping.Owner;
import io.cosellsync.mapping.ReferralDocument;
import io.cosellsync.mapping.SalesforceImage;
import io.cosellsync.mapping.TenantMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Partner Center referral → Salesforce upsert command, through the field map and the tenant's mapping settings.
 * Ownership decides where each field goes: Partner Center's and "latest" fields are written on every update (the
 * writer drops a "latest" one Salesforce changed later), Salesforce's and never-overwrite-inbound ones only when
 * the record is created. The stage is special: a closed referral always sets its closed stage; an open one sets
 * the pending or active stage only on a new opportunity, because a seller's own open stages all mean "active"; an
 * accepted referral moves an opportunity out of the pending stage. A referral we created from an opportunity names
 * it, so the writer updates that record rather than making a second one before the Referral Identifier is back.
 */
public final class ReferralToOpportunity {

    private static final String CURRENCY_ISO_CODE = "CurrencyIsoCode";
    static final String LEAD_SKIPPED = "LEAD_NOT_SYNCED";
    static final String UNMAPPABLE = "UNMAPPABLE_REFERRAL";
    private static final String STAGE = "Opportunity.StageName";

    private ReferralToOpportunity() {
    }

    public static MappingResult map(ReferralSnapshot referral, FieldMapper mapper) {
        TenantMapping tenant = mapper.tenant();
        if (tenant.coSellOnly() && isLead(referral)) {
            return new MappingResult.Skipped(LEAD_SKIPPED, "referral " + referral.referralId() + " is a lead; leads "
                    + "are not synced while coSellOnly is on");
        }
        SalesforceImage image;
        try {
            image = mapper.toSalesforce(ReferralDocument.of(referral));
        } catch (MappingException e) {
            return new MappingResult.Failed(UNMAPPABLE, e.getMessage());
        }
        Map<String, Object> always = new LinkedHashMap<>();
        Map<String, Object> createOnly = new LinkedHashMap<>();
        List<String> latest = new ArrayList<>();
        Map<String, Object> accountAlways = new LinkedHashMap<>();
        Map<String, Object> accountCreateOnly = new LinkedHashMap<>();
        for (FieldRow row : mapper.map().fields()) {
            if (!row.direction().toSalesforce()) {
                continue;
            }
            String field = tenant.fieldName(row.salesforce());
            Object value = image.record(row.object()).get(field);
            boolean opportunity = row.object().equals("Opportunity");
            Owner owner = tenant.owner(row);
            if (row.salesforce().equals(STAGE)) {
                (referral.status() == ReferralStatus.CLOSED ? always : createOnly).put(field, value);
            } else if (owner == Owner.PARTNER_CENTER || owner == Owner.LATEST) {
                (opportunity ? always : accountAlways).put(field, value);
                if (owner == Owner.LATEST && opportunity) {
                    latest.add(field);
                }
            } else {
                (opportunity ? createOnly : accountCreateOnly).put(field, value);
            }
        }
        // Salesforce's own currency field is required in a multi-currency org: a referral without a currency leaves
        // the opportunity's as it is (a new one gets the org's corporate currency) instead of clearing it
        for (Map<String, Object> fields : List.of(always, createOnly)) {
            if (fields.containsKey(CURRENCY_ISO_CODE) && fields.get(CURRENCY_ISO_CODE) == null) {
                fields.remove(CURRENCY_ISO_CODE);
                latest.remove(CURRENCY_ISO_CODE);
            }
        }
        Map<String, Object> match = new LinkedHashMap<>();
        Map<String, Object> account = image.record("Account");
        for (String rule : tenant.accountMatch()) {
            match.put(tenant.fieldName(rule), account.get(tenant.fieldName(rule)));
        }
        if (match.values().stream().anyMatch(v -> v == null)) {
            return new MappingResult.Failed(UNMAPPABLE, "the customer cannot be matched to an account: the referral "
                    + "has no " + String.join(" or ", tenant.accountMatch()) + " value");
        }
        List<ChildRecords> children = new ArrayList<>();
        for (CollectionRow c : mapper.map().collections()) {
            if (c.direction().toSalesforce()) {
                children.add(new ChildRecords(c.salesforce(), c.link(), tenant.fieldName(c.salesforce() + "."
                        + c.match()), image.collection(c.salesforce())));
            }
        }
        UpsertOpportunityCommand.StageMove move = referral.status() == ReferralStatus.ACTIVE
                ? new UpsertOpportunityCommand.StageMove(tenant.pendingStage(), tenant.activeStage()) : null;
        return new MappingResult.Command(new UpsertOpportunityCommand(referral.referralId(),
                tenant.fieldName("Opportunity.Referral_Identifier__c"), referral.updatedDateTime(),
                tenant.checkMark(), always, createOnly, latest, move,
                new AccountUpsert(match, accountAlways, accountCreateOnly), children, ourOpportunity(referral),
                referral.eTag()));
    }

    /**
     * The opportunity an outgoing referral was created from: its {@code externalReferenceId} when that is an
     * Opportunity record id (key prefix {@code 006}, 15 or 18 characters). Incoming referrals' references belong to
     * whoever shared them.
     */
    public static String ourOpportunity(ReferralSnapshot referral) {
        String id = referral.externalReferenceId();
        return referral.direction() == ReferralDirection.OUTGOING && id != null
                && id.matches("006[0-9A-Za-z]{12}([0-9A-Za-z]{3})?") ? id : null;
    }

    /**
     * Partner Center's categories: an independent referral created directly by a customer, or qualified by
     * Microsoft and sent by Microsoft, is a lead; everything else is a co-sell or pipeline-sharing referral.
     */
    static boolean isLead(ReferralSnapshot referral) {
        if (referral.type() != ReferralType.INDEPENDENT) {
            return false;
        }
        ReferralQualification q = referral.qualification();
        InviteContext invite = referral.inviteContext();
        String invitedBy = invite == null ? null : invite.invitedByOrganizationId();
        if (q == ReferralQualification.DIRECT) {
            return invitedBy == null || "msft".equals(invitedBy);
        }
        return (q == ReferralQualification.SALES_QUALIFIED || q == ReferralQualification.MARKETING_QUALIFIED)
                && "msft".equals(invitedBy);
    }
}
