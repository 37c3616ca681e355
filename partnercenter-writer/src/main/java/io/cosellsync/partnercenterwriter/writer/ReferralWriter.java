package io.cosellsync.partnercenterwriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.UpdateOpportunityCommand.Mark;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.outcome.SyncOutcome.Status;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.MappingException;
import io.cosellsync.mapping.ReferralDocument;
import io.cosellsync.mapping.OwnedValues;
import io.cosellsync.mapping.ReferralMerge;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.partnercenter.client.ReferralWire;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.partnercenterwriter.config.PartnerCenterClients.Mappers;
import io.cosellsync.partnercenterwriter.config.WriterConfig;
import io.cosellsync.partnercenterwriter.persistence.ReferralLinks;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies one command to Partner Center. A create makes the opportunity's referral exactly once: the intent is
 * committed before the POST, and while an intent has no referral yet the referrals created since then are searched
 * for one whose {@code externalReferenceId} is the opportunity (the API documents no filter on it) before posting
 * again; a co-sell referral then gets the documented second step, Microsoft's referral in the same engagement. An
 * update reads the referral (or first takes it as this process last wrote or read it, {@link RecentReferrals}),
 * leaves a closed one alone, and sends only what differs ({@link ReferralMerge}) with If-Match; a 412 reads and diffs
 * again, up to {@code conflict-attempts} times. What Partner Center refuses for good
 * (400, 403, 404, 409) becomes a failed result with its error body; what cannot be done now (no answer, throttled,
 * no usable credential) is thrown for the caller to retry.
 */
@ApplicationScoped
public class ReferralWriter {

    static final String REJECTED = "PARTNER_CENTER_REJECTED";
    static final String NOT_FOUND = "REFERRAL_NOT_FOUND";
    static final String CLOSED = "REFERRAL_CLOSED";
    static final String PREFLIGHT = "PREFLIGHT_FAILED";
    static final String NOT_LINKED = "REFERRAL_NOT_LINKED";

    /**
     * What became of a command.
     *
     * @param writeBack   Opportunity fields to write back (this org's names); empty for none
     * @param mark        the check mark to show, or null
     * @param deadLetter  whether the command goes to the dead-letter topic (a replay after a fix may succeed)
     * @param errorBody   Partner Center's error body, for the dead letter
     * @param opportunityId the opportunity, where the command did not name it (a restore); else null
     * @param expected    for each field of {@code writeBack}, the value the opportunity held when Partner Center's
     *                    won over it (a later save of it stands); empty when the write-back overwrites
     */
    public record Result(Status status, String referralId, String reasonCode, String message,
            Map<String, Object> writeBack, Mark mark, boolean deadLetter, String errorBody, String opportunityId,
            Map<String, Object> expected) {

        Result(Status status, String referralId, String reasonCode, String message, Map<String, Object> writeBack,
                Mark mark, boolean deadLetter, String errorBody, String opportunityId) {
            this(status, referralId, reasonCode, message, writeBack, mark, deadLetter, errorBody, opportunityId,
                    Map.of());
        }

        static Result succeeded(String referralId, String message, Map<String, Object> writeBack, Mark mark) {
            return new Result(Status.SUCCEEDED, referralId, null, message, writeBack, mark, false, null, null);
        }

        /** Values set back only where the opportunity still holds what Partner Center's won over. */
        Result over(Map<String, Object> replaced) {
            return new Result(status, referralId, reasonCode, message, writeBack, mark, deadLetter, errorBody,
                    opportunityId, replaced);
        }

        static Result failed(String referralId, String code, String message, boolean deadLetter, String body) {
            return new Result(Status.FAILED, referralId, code, message, Map.of(), Mark.FAILED, deadLetter, body,
                    null);
        }

        static Result skipped(String referralId, String code, String message) {
            return new Result(Status.SKIPPED, referralId, code, message, Map.of(), null, false, null, null);
        }

        Result of(String opportunity) {
            return new Result(status, referralId, reasonCode, message, writeBack, mark, deadLetter, errorBody,
                    opportunity, expected);
        }
    }

    /** Partner Center cannot take the command now (a 412 storm); try again later. */
    public static class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    private final ReferralsApi api;
    private final ReferralLinks links;
    private final Mappers mappers;
    private final WriterConfig config;
    private final RecentReferrals recent;

    public ReferralWriter(ReferralsApi api, ReferralLinks links, Mappers mappers, WriterConfig config,
            RecentReferrals recent) {
        this.api = api;
        this.links = links;
        this.mappers = mappers;
        this.config = config;
        this.recent = recent;
    }

    // --- create ------------------------------------------------------------------------------------------------

    public Uni<Result> create(TenantId tenant, CreateReferralCommand command) {
        String opportunityId = command.opportunityId();
        ObjectNode body = ReferralDocument.wire(command.referral());
        Uni<Optional<ReferralLinks.Link>> recorded = config.brokenForChaosSuite()
                ? Uni.createFrom().item(Optional.empty()) : links.find(tenant, opportunityId);
        return recorded.chain(found -> {
            if (found.isPresent() && found.get().referralId() != null) {
                // created before (a redelivered command, or a crash after the commit): finish what may be missing
                return api.get(tenant, found.get().referralId()).chain(existing -> existing.isEmpty()
                        ? Uni.createFrom().item(Result.failed(found.get().referralId(), NOT_FOUND, "referral "
                                + found.get().referralId() + " of this opportunity no longer exists", true, null))
                        : finish(tenant, command, body, existing.get().referral(), found.get().sharedAt() != null,
                                true));
            }
            Uni<Optional<JsonNode>> earlier = found.isPresent()
                    ? createdSince(tenant, opportunityId, found.get().intentAt())
                    : Uni.createFrom().item(Optional.empty());
            return earlier.chain(before -> {
                Uni<JsonNode> referral = before.isPresent()
                        ? Uni.createFrom().item(before.get()).invoke(r -> Log.infof("tenant %s: opportunity %s: found"
                                + " referral %s created before a restart; not creating another", tenant.value(),
                                opportunityId, r.path("id").asText()))
                        : links.intend(tenant, opportunityId).chain(() -> api.create(tenant, body))
                                .invoke(created -> recent.put(tenant, created)).map(ReferralsApi.Fetched::referral);
                // only a referral from before a restart may already have Microsoft's side
                return referral.call(r -> links.created(tenant, opportunityId, r.path("id").asText(),
                        text(r, "engagementId"), agreed(tenant, r)))
                        .chain(r -> finish(tenant, command, body, r, false, before.isPresent()));
            });
        }).onFailure(ReferralsApi.Rejected.class).recoverWithItem(e -> rejected(null, (ReferralsApi.Rejected) e));
    }

    /**
     * Referrals created since the intent (less the margin) whose externalReferenceId is the opportunity. Listed by
     * {@code updatedDateTime}, the documented filter: a referral created since then was updated since then too.
     */
    private Uni<Optional<JsonNode>> createdSince(TenantId tenant, String opportunityId, Instant intentAt) {
        Instant since = intentAt.minus(config.recoveryMargin());
        return api.list(tenant, "updatedDateTime ge " + since, null)
                .filter(r -> opportunityId.equals(text(r, "externalReferenceId")) && !ReferralWire.microsofts(r))
                .collect().first().map(Optional::ofNullable);
    }

    /**
     * @param shared   Microsoft's side is recorded as done
     * @param mayExist the referral is from before (a restart, a redelivery): Microsoft's side may exist unrecorded
     */
    private Uni<Result> finish(TenantId tenant, CreateReferralCommand command, ObjectNode body, JsonNode referral,
            boolean shared, boolean mayExist) {
        String referralId = referral.path("id").asText();
        Uni<Void> share = command.shareWithMicrosoft() && !shared
                ? shareWithMicrosoft(tenant, command.opportunityId(), body, referral, mayExist)
                : Uni.createFrom().voidItem();
        TenantMapping mapping = mappers.of(tenant).tenant();
        return share.map(x -> {
            Map<String, Object> writeBack = new LinkedHashMap<>();
            writeBack.put(mapping.fieldName("Opportunity.Referral_Identifier__c"), referralId);
            writeBack.put(mapping.fieldName("Opportunity.Referral_Link__c"), mapping.referralLink(referralId));
            if (referral.path("consent").path("consentToShareReferralWithMicrosoftSellers").asBoolean(false)) {
                // visible to Microsoft sellers (asked for, or implied by asking for Microsoft's help): the box says so
                // now, in this same write, not with the referral's next change coming back
                writeBack.put(mapping.fieldName("Opportunity.Microsoft_Visibility__c"), true);
            }
            String kind = command.shareWithMicrosoft() ? "co-sell, shared with Microsoft"
                    : Boolean.TRUE.equals(command.referral().consent() == null ? null
                            : command.referral().consent().shareWithMicrosoftSellers()) ? "partner-led" : "private";
            return Result.succeeded(referralId, "referral " + referralId + " created (" + kind + ")", writeBack,
                    mapping.checkMark() ? Mark.SUCCEEDED : null);
        });
    }

    /**
     * The documented second step: Microsoft's referral in the engagement, unless it is there already (looked up only
     * when it may be: a referral just created has none).
     */
    private Uni<Void> shareWithMicrosoft(TenantId tenant, String opportunityId, ObjectNode body, JsonNode ours,
            boolean mayExist) {
        String engagementId = text(ours, "engagementId");
        Uni<JsonNode> existing = mayExist
                ? api.list(tenant, "engagementId eq '" + engagementId + "'", null)
                        .filter(ReferralWire::microsofts).collect().first()
                : Uni.createFrom().nullItem();
        return existing.chain(found -> {
            if (found != null) {
                return Uni.createFrom().voidItem();
            }
            ObjectNode microsofts = body.deepCopy();
            microsofts.put("engagementId", engagementId);
            microsofts.putArray("target").addObject().put("type", "BusinessProfileLocation")
                    .put("id", ReferralWire.MICROSOFT);
            return api.create(tenant, microsofts).replaceWithVoid();
        }).chain(() -> links.shared(tenant, opportunityId));
    }

    // --- update ------------------------------------------------------------------------------------------------

    public Uni<Result> update(TenantId tenant, UpdateReferralCommand command) {
        Uni<Result> work = command.restoreSalesforceOwned() ? restore(tenant, command.referralId(), 1)
                : attempt(tenant, command, 1);
        return work.onFailure(ReferralsApi.Rejected.class)
                .recoverWithItem(e -> rejected(command.referralId(), (ReferralsApi.Rejected) e));
    }

    private static String closedMessage(String referralId, JsonNode current) {
        return "referral " + referralId + " is closed (" + current.path("substatus").asText() + "); Partner Center"
                + " allows no further change";
    }

    /**
     * Partner Center changed a referral: the values Salesforce owns that now differ from the agreement are set back
     * (If-Match; a 412 reads again). A referral never compared with its opportunity has no agreement: nothing to do.
     */
    private Uni<Result> restore(TenantId tenant, String referralId, int attempt) {
        return links.findByReferral(tenant, referralId).chain(link -> {
            if (link.isEmpty() || link.get().base().isEmpty()) {
                return Uni.createFrom().item(Result.skipped(referralId, NOT_LINKED, "referral " + referralId
                        + " has no agreed values with an opportunity yet; nothing to restore"));
            }
            String opportunityId = link.get().opportunityId();
            return api.get(tenant, referralId).chain(found -> {
                if (found.isEmpty()) {
                    recent.forget(tenant, referralId);
                    return Uni.createFrom().item(Result.skipped(referralId, NOT_FOUND, "referral " + referralId
                            + " is not visible in Partner Center; nothing to restore"));
                }
                recent.put(tenant, found.get());
                JsonNode current = found.get().referral();
                if (ReferralMerge.closed(current)) {
                    return Uni.createFrom().item(Result.skipped(referralId, CLOSED, closedMessage(referralId,
                            current)));
                }
                FieldMapper mapper = mappers.of(tenant);
                ReferralMerge.Result restored = OwnedValues.restore(mapper, current, link.get().base());
                List<String> fields = restored.sent().stream().map(f -> mapper.tenant().apiName(f)).toList();
                return send(tenant, referralId, restored.requests(), found.get().eTag()).map(Sent::requests)
                        .map(sent -> Result.succeeded(referralId, sent == 0 ? "referral " + referralId
                                + ": what Salesforce owns is as agreed" : "referral " + referralId + ": Partner"
                                + " Center's change set back, Salesforce owns " + String.join(", ", fields),
                                Map.of(), null));
            }).map(result -> result.of(opportunityId));
        }).onFailure(ReferralsApi.PreconditionFailed.class).recoverWithUni(e -> {
            recent.forget(tenant, referralId);
            return again(tenant, referralId, attempt, "restored", () -> restore(tenant, referralId, attempt + 1));
        });
    }

    /**
     * The referral changed between our read and our PATCH (412): read, compare and send again, up to
     * {@code conflict-attempts} times; then the command waits ({@link Busy}).
     */
    private Uni<Result> again(TenantId tenant, String referralId, int attempt, String doing,
            Supplier<Uni<Result>> next) {
        if (attempt >= config.conflictAttempts()) {
            return Uni.createFrom().failure(new Busy("referral " + referralId + " changed " + attempt
                    + " times while we " + doing + " it; trying again later"));
        }
        Log.debugf("tenant %s: referral %s changed since read (412); reading it again", tenant.value(), referralId);
        return next.get();
    }

    /**
     * One try of an update. The first diffs against the referral as this process last saw it, when kept
     * ({@link RecentReferrals}) and something differs: sent with that eTag, a 412 means Partner Center changed it
     * since, and it is read after all. Otherwise, and on every further try, the referral is read first.
     */
    private Uni<Result> attempt(TenantId tenant, UpdateReferralCommand command, int attempt) {
        String referralId = command.referralId();
        return links.find(tenant, command.opportunityId()).chain(link -> {
            Optional<ReferralsApi.Fetched> kept = attempt == 1 ? recent.get(tenant, referralId) : Optional.empty();
            if (kept.isPresent() && !ReferralMerge.closed(kept.get().referral())) {
                UpdatePlan plan = UpdatePlan.of(mappers.of(tenant), command, kept.get(), link);
                // nothing to send, or a problem, is only said after reading what Partner Center holds now
                if (plan.problems().isEmpty() && !plan.requests().isEmpty()) {
                    // changed since (412), or refused (a diff against an old copy may ask what Partner Center no
                    // longer allows): forgotten, and decided again from a fresh read
                    return apply(tenant, command, plan, kept.get(), link)
                            .onFailure(e -> e instanceof ReferralsApi.PreconditionFailed
                                    || e instanceof ReferralsApi.Rejected).recoverWithUni(e -> {
                                        recent.forget(tenant, referralId);
                                        return read(tenant, command, link);
                                    });
                }
            }
            return read(tenant, command, link);
        }).onFailure(ReferralsApi.PreconditionFailed.class).recoverWithUni(e -> {
            recent.forget(tenant, referralId);
            return again(tenant, referralId, attempt, "updated", () -> attempt(tenant, command, attempt + 1));
        });
    }

    /** Reads the referral, leaves a closed one alone, and sends what differs. */
    private Uni<Result> read(TenantId tenant, UpdateReferralCommand command, Optional<ReferralLinks.Link> link) {
        String referralId = command.referralId();
        return api.get(tenant, referralId).chain(found -> {
            if (found.isEmpty()) {
                recent.forget(tenant, referralId);
                return Uni.createFrom().item(Result.failed(referralId, NOT_FOUND, "referral " + referralId
                        + " does not exist in Partner Center (or the signed-in user cannot see it)", true, null));
            }
            recent.put(tenant, found.get());
            JsonNode current = found.get().referral();
            if (ReferralMerge.closed(current)) {
                return Uni.createFrom().item(Result.skipped(referralId, CLOSED, closedMessage(referralId, current)));
            }
            // a referral we neither created nor compared before has no agreed values yet (null)
            UpdatePlan plan = UpdatePlan.of(mappers.of(tenant), command, found.get(), link);
            if (!plan.problems().isEmpty()) {
                return Uni.createFrom().item(Result.failed(referralId, PREFLIGHT, String.join("; ",
                        plan.problems()), false, null));
            }
            return apply(tenant, command, plan, found.get(), link);
        });
    }

    private Uni<Result> apply(TenantId tenant, UpdateReferralCommand command, UpdatePlan plan,
            ReferralsApi.Fetched before, Optional<ReferralLinks.Link> link) {
        String referralId = command.referralId();
        if (Log.isDebugEnabled()) {
            Log.debugf("tenant %s: referral %s (of %s, version %s): sending %s; the opportunity's image of %s: %s;"
                    + " agreed then: %s", tenant.value(), referralId, ReferralMerge.updatedAt(before.referral()),
                    before.eTag(), plan.requests(), command.opportunity() == null ? null
                            : command.opportunity().modifiedAt(), command.opportunity() == null ? null
                                    : command.opportunity().records().get("Opportunity"), plan.agreed());
        }
        return send(tenant, referralId, plan.requests(), before.eTag())
                .call(sent -> links.agreed(tenant, command.opportunityId(), referralId, plan.agreed(), sent.eTag(),
                        ReferralMerge.updatedAt(sent.eTag() == null ? before.referral() : sent.referral()),
                        UpdatePlan.partnerCenterChangedAt(before, link)))
                // a name set back keeps its mark where the tenant shows marks
                .map(sent -> Result.succeeded(referralId, message(referralId, sent.requests(), plan), plan.restored(),
                        !plan.restored().isEmpty() && mappers.of(tenant).tenant().checkMark()
                                ? Mark.SUCCEEDED : null).over(plan.replaced()));
    }

    private static String message(String referralId, int sent, UpdatePlan plan) {
        String message = sent == 0 ? "referral " + referralId + " already up to date"
                : "referral " + referralId + " updated: " + String.join(", ", plan.fields());
        return plan.restored().isEmpty() ? message : message + "; Partner Center's value kept (its own field, or"
                + " changed there later) and set back on the opportunity: " + String.join(", ",
                        plan.restored().keySet());
    }

    /**
     * @param eTag     the referral's version our last request made, or null when nothing was sent
     * @param referral the referral as our last request left it, or null when nothing was sent
     */
    private record Sent(int requests, String eTag, JsonNode referral) {
    }

    /** Sends the requests in order, each with the eTag the previous one left. */
    private Uni<Sent> send(TenantId tenant, String referralId, List<ArrayNode> requests, String eTag) {
        return send(tenant, referralId, requests, new Sent(0, eTag, null));
    }

    private Uni<Sent> send(TenantId tenant, String referralId, List<ArrayNode> requests, Sent so) {
        if (so.requests() == requests.size()) {
            return Uni.createFrom().item(so.requests() == 0 ? new Sent(0, null, null) : so);
        }
        return api.patch(tenant, referralId, requests.get(so.requests()), so.eTag())
                .invoke(after -> recent.put(tenant, after))
                .chain(after -> send(tenant, referralId, requests, new Sent(so.requests() + 1, after.eTag(),
                        after.referral())));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private Map<String, Object> agreed(TenantId tenant, JsonNode referral) {
        FieldMapper mapper = mappers.of(tenant);
        try {
            // what we just created is what both sides hold: the first agreement
            return ReferralMerge.merge(mapper, mapper.toSalesforce(referral), (Instant) null, referral, Map.of())
                    .agreed();
        } catch (MappingException e) {
            return Map.of();
        }
    }

    private static Result rejected(String referralId, ReferralsApi.Rejected e) {
        return Result.failed(referralId, REJECTED + "_" + e.status(), e.getMessage(), true, e.body());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
