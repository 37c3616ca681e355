package io.cosellsync.salesforcewriter.deadletters;

import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.Soql;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.cosellsync.salesforcewriter.writer.OpportunityUpdateWriter;
import io.cosellsync.salesforcewriter.writer.WriteResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a dead letter on the opportunity it concerns: an Audit line ({@link AuditLine}) and, where the tenant shows
 * marks, ✖ in the name — through the same {@link OpportunityUpdateWriter} as every write-back, so a line already on
 * top of the trail is not written twice. The opportunity is found by its record Id, by the referral's id in the
 * Referral Identifier field, or by the Id a referral names ({@code externalReferenceId}). A letter that concerns no
 * opportunity (a referral that never became one) stays in the index for operators and is counted in
 * {@code cosell_dead_letters_unattached_total{tenant,reason}}.
 */
@ApplicationScoped
public class DeadLetterAudit {

    private final SalesforceClient salesforce;
    private final OpportunityUpdateWriter updates;
    private final SalesforceConfig config;
    private final MeterRegistry registry;

    public DeadLetterAudit(SalesforceClient salesforce, OpportunityUpdateWriter updates, SalesforceConfig config,
            MeterRegistry registry) {
        this.salesforce = salesforce;
        this.updates = updates;
        this.config = config;
        this.registry = registry;
    }

    /** Writes the letter's line on its opportunity; emits the opportunity's Id, or null when it concerns none. */
    public Uni<String> failed(TenantId tenant, DeadLetter letter, String letterId) {
        LetterSubject subject = LetterSubject.of(letter);
        TenantMapping mapping = mapping(tenant);
        return opportunity(tenant, subject, mapping).chain(opportunityId -> {
            if (opportunityId == null) {
                registry.counter("cosell.dead.letters.unattached", "tenant", tenant.value(), "reason",
                        letter.reasonCode()).increment();
                return Uni.createFrom().nullItem();
            }
            return line(tenant, mapping, opportunityId, AuditLine.failed(letter, subject),
                    UpdateOpportunityCommand.Mark.FAILED, "dead letter " + letterId).replaceWith(opportunityId);
        });
    }

    /** Writes the ✔ line (and mark) of letters a later sync resolved on the opportunity that synced. */
    public Uni<Void> resolved(TenantId tenant, String opportunityId, boolean toPartnerCenter,
            List<DeadLetterIndex.Resolved> letters) {
        return line(tenant, mapping(tenant), opportunityId, AuditLine.resolved(toPartnerCenter, letters),
                UpdateOpportunityCommand.Mark.SUCCEEDED, "resolved dead letters");
    }

    /** One Audit line and mark (where the tenant shows marks) on the opportunity; a refusal is logged. */
    private Uni<Void> line(TenantId tenant, TenantMapping mapping, String opportunityId, String text,
            UpdateOpportunityCommand.Mark mark, String what) {
        UpdateOpportunityCommand line = new UpdateOpportunityCommand(opportunityId, Map.of(), text,
                mapping.fieldName(TenantMapping.AUDIT), mapping.checkMark() ? mark : null);
        return updates.apply(tenant, List.of(new OpportunityUpdateWriter.Pending(0, line))).invoke(outcomes -> {
            OpportunityUpdateWriter.Outcome outcome = outcomes.get(0);
            if (outcome.result() == WriteResult.FAILED) {
                Log.warnf("tenant %s: %s: the Audit line on %s was not written: %s %s", tenant.value(), what,
                        opportunityId, outcome.failureCode(), outcome.failureMessage());
            }
        }).replaceWithVoid();
    }

    private Uni<String> opportunity(TenantId tenant, LetterSubject subject, TenantMapping mapping) {
        List<String> ids = new ArrayList<>();
        if (subject.opportunityId() != null) {
            ids.add(subject.opportunityId());
        }
        if (subject.externalReferenceId() != null) {
            ids.add(subject.externalReferenceId());
        }
        List<String> conditions = new ArrayList<>();
        if (!ids.isEmpty()) {
            conditions.add("Id IN " + Soql.idList(ids));
        }
        if (subject.referralId() != null) {
            conditions.add(mapping.fieldName("Opportunity.Referral_Identifier__c") + " = "
                    + Soql.literal(subject.referralId()));
        }
        Uni<String> found = Uni.createFrom().nullItem();
        for (String condition : conditions) {
            found = found.chain(id -> id != null ? Uni.createFrom().item(id)
                    : salesforce.query(tenant, "Opportunity", "SELECT Id FROM Opportunity WHERE " + condition
                            + " LIMIT 1").map(rows -> rows.isEmpty() ? null : rows.get(0).path("Id").asText()));
        }
        return found;
    }

    private TenantMapping mapping(TenantId tenant) {
        return SalesforceConfig.mapping(config, tenant.value());
    }
}
