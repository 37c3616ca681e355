package io.cosellsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Salesforce → an existing referral: which of the opportunity's values go to Partner Center, as JSON Patch requests.
 * Each field of the map that travels to Partner Center is compared three ways, in Salesforce's terms: the
 * opportunity's value, the referral's current value, and the value both sides last agreed on (the {@code base}).
 * Equal on both sides: nothing to do (and that is the new agreement). Otherwise the owner decides: Salesforce's
 * fields are sent; Partner Center's and never-overwrite-inbound ones are not; a "latest" field is sent when only
 * Salesforce moved away from the agreed value, kept when only Partner Center did, and when both did (or nothing
 * was agreed yet) the later side wins: the field's own save (or the opportunity's {@code SystemModstamp}) against
 * Partner Center's last change of the referral ({@link Clocks}), a tie going to Partner Center. Collections
 * (contacts, solutions, sellers) are one value each and are replaced whole, since Partner Center's PATCH has no
 * {@code remove}. A referral seen for the first
 * time ({@code base} null: shared with us, its opportunity written by the other direction) sends nothing but the
 * stage: what differs then is what Salesforce cannot hold (a seller who is no Salesforce user, a lossy value), and
 * Partner Center keeps it; those values are the agreement from then on, so a later edit in Salesforce is sent.
 * Where Partner Center's value wins over a different opportunity value (its own fields; a "latest" field both sides
 * changed, Partner Center later), the opportunity gets Partner Center's value back: both sides end equal. Until that
 * write-back lands the opportunity still holds the value that lost, and a snapshot showing it (the seller saved
 * another field) is no move away from the agreement: the agreement keeps that value beside the field ({@link #LOST})
 * and it is set back again rather than sent.
 *
 * <p>The stage becomes status moves the lifecycle allows (partner-center-api.md §3.1–3.2): from New, an open stage
 * accepts (Active/Accepted), a won stage accepts then wins (two requests), a lost or declined stage declines
 * (Closed/Declined with a reason); from Active, won or lost. Closed referrals are never changed: callers check
 * {@link #closed} first. Visibility to Microsoft sellers cannot be withdrawn once given: that is a problem for the
 * seller, and nothing is sent. Pure: no I/O.
 */
public final class ReferralMerge {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String STAGE = "Opportunity.StageName";
    private static final String VISIBILITY = "Opportunity.Microsoft_Visibility__c";
    /**
     * Beside a field's agreed value, where Partner Center's value won over the opportunity's and is being set back:
     * the opportunity's value it won over ({@code "lost:Opportunity.Description"}).
     */
    public static final String LOST = "lost:";
    /**
     * In the agreement: when it was made, in terms of the opportunity's saves — the save of the opportunity it was
     * compared with, or Partner Center's change where Partner Center's values won (they are later than every save
     * they won over). A snapshot of a save in an earlier second (or, where its clock is a change event's millisecond,
     * an earlier millisecond) is older than the agreement.
     */
    public static final String SINCE = "since";

    private ReferralMerge() {
    }

    /**
     * @param requests  the PATCH bodies to send, in order; empty when the referral already is as it should be
     * @param agreed    the new base: each field's value both sides hold once the requests are applied
     * @param sent      the fields (default API names) whose Salesforce value is sent (the stage included)
     * @param problems  what the seller must fix; when not empty, nothing may be sent
     * @param restored  Opportunity fields (this org's names) to set back to Partner Center's value, which won
     * @param replaced  for each restored field, the opportunity's value Partner Center's won over
     */
    public record Result(List<ArrayNode> requests, Map<String, Object> agreed, List<String> sent,
            List<String> problems, Map<String, Object> restored, Map<String, Object> replaced) {

        Result(List<ArrayNode> requests, Map<String, Object> agreed, List<String> sent, List<String> problems,
                Map<String, Object> restored) {
            this(requests, agreed, sent, problems, restored, Map.of());
        }
    }

    /** Whether the referral is closed (Won, Lost, Declined, Expired): then it is never changed. */
    public static boolean closed(JsonNode referral) {
        return "Closed".equals(referral.path("status").asText());
    }

    /** @param base the values last agreed on, or null when this referral has never been compared */
    public static Result merge(FieldMapper mapper, SalesforceImage salesforce, Instant salesforceModifiedAt,
            JsonNode current, Map<String, Object> base) {
        return merge(mapper, salesforce, Clocks.of(salesforceModifiedAt), current, base);
    }

    /** @see Clocks */
    public static Result merge(FieldMapper mapper, SalesforceImage salesforce, Instant salesforceModifiedAt,
            List<String> ourFields, JsonNode current, Map<String, Object> base) {
        return merge(mapper, salesforce, new Clocks(salesforceModifiedAt, ourFields, Map.of(), null), current, base);
    }

    /**
     * When each side's values changed, as far as known.
     *
     * @param opportunity the opportunity's save shown (its {@code SystemModstamp}, to the millisecond where known)
     * @param ourFields   Opportunity fields (this org's names) whose last change was the salesforce-writer's own write:
     *                    their values came from Partner Center, so such a "latest" field is never a move of
     *                    Salesforce's: where it differs from the referral, Partner Center's value stands and is set
     *                    back, whatever the clock and the agreement (a late write of an older value of Partner
     *                    Center's)
     * @param fields      Opportunity fields (this org's names) → when their last change was committed, where known
     *                    better than {@code opportunity} (a snapshot joining several saves)
     * @param referral    when Partner Center last changed the referral's values itself, where its
     *                    {@code updatedDateTime} is our own write (which changes only what was agreed); null: the
     *                    referral's {@code updatedDateTime}
     */
    public record Clocks(Instant opportunity, List<String> ourFields, Map<String, Instant> fields, Instant referral) {

        public Clocks {
            ourFields = ourFields == null ? List.of() : List.copyOf(ourFields);
            fields = fields == null ? Map.of() : Map.copyOf(fields);
        }

        /** Only the opportunity's save is known. */
        public static Clocks of(Instant opportunity) {
            return new Clocks(opportunity, List.of(), Map.of(), null);
        }

        Instant at(String field) {
            return fields.getOrDefault(field, opportunity);
        }
    }

    /** @param base the values last agreed on, or null when this referral has never been compared */
    public static Result merge(FieldMapper mapper, SalesforceImage salesforce, Clocks clocks, JsonNode current,
            Map<String, Object> base) {
        Instant salesforceModifiedAt = clocks.opportunity();
        boolean firstSight = base == null;
        Instant since = since(base);
        TenantMapping tenant = mapper.tenant();
        base = unmarked(mapper, base);
        SalesforceImage partnerCenter = mapper.toSalesforce(current);
        Instant partnerCenterUpdatedAt = clocks.referral() != null ? clocks.referral() : updatedAt(current);
        Map<String, Object> agreed = firstSight ? new LinkedHashMap<>() : new LinkedHashMap<>(base);
        List<String> sent = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Object> restored = new LinkedHashMap<>();
        Map<String, Object> replaced = new LinkedHashMap<>();
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        for (FieldRow row : mapper.map().fields()) {
            if (!row.direction().toPartnerCenter()) {
                continue;
            }
            String name = tenant.fieldName(row.salesforce());
            // the name as Partner Center would have it: without the check mark the opportunity shows
            Object ours = unmarked(tenant, row, salesforce.record(row.object()).get(name));
            Object theirs = partnerCenter.record(row.object()).get(name);
            boolean opportunityField = row.object().equals("Opportunity");
            Instant clock = opportunityField ? clocks.at(name) : salesforceModifiedAt;
            // its value came from Partner Center by our own write: never a move of Salesforce's (unless Partner
            // Center holds nothing there: the value was a default, and nothing is to be set back)
            boolean brought = opportunityField && clocks.ourFields().contains(name) && theirs != null;
            boolean send = row.salesforce().equals(STAGE)
                    ? stage(tenant.owner(row), ours, theirs, agreed)
                    : decide(row.salesforce(), tenant.owner(row), ours, theirs, base,
                            later(clock, partnerCenterUpdatedAt) && !brought, before(clock, since) || brought,
                            agreed);
            if (send && row.salesforce().equals(VISIBILITY) && Boolean.TRUE.equals(theirs)
                    && !Boolean.TRUE.equals(ours)) {
                problems.add("the referral is visible to Microsoft sellers: " + tenant.apiName(VISIBILITY)
                        + " cannot be withdrawn once given; set it again");
                send = false;
            }
            if (send) {
                sent.add(row.salesforce());
            } else if (!firstSight && opportunityField && !row.salesforce().equals(STAGE)
                    && !same(ours, theirs) && (partnerCenterWon(tenant.owner(row), base.get(row.salesforce()),
                            ours, theirs) || stillLost(base, row.salesforce(), ours)
                            || (before(clock, since) || brought) && tenant.owner(row) == Owner.LATEST)) {
                restored.put(name, theirs);
                replaced.put(name, ours);
                agreed.put(row.salesforce(), theirs);
                agreed.put(LOST + row.salesforce(), ours);
            }
            records.computeIfAbsent(row.object(), o -> new LinkedHashMap<>()).put(name, send ? ours : theirs);
        }
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>();
        for (CollectionRow c : mapper.map().collections()) {
            if (!c.direction().toPartnerCenter()) {
                continue;
            }
            List<Map<String, Object>> ours = salesforce.collection(c.salesforce());
            List<Map<String, Object>> theirs = partnerCenter.collection(c.salesforce());
            boolean send = decide(c.salesforce(), c.owner(), ours, theirs, base,
                    later(salesforceModifiedAt, partnerCenterUpdatedAt), before(salesforceModifiedAt, since), agreed);
            if (send) {
                sent.add(c.salesforce());
            }
            collections.put(c.salesforce(), send ? ours : theirs);
        }
        if (!problems.isEmpty()) {
            return new Result(List.of(), firstSight ? Map.of() : base, List.of(), problems, Map.of());
        }
        // the agreement's time: the opportunity's save shown, or Partner Center's change where its values won
        Instant at = latest(latest(since, salesforceModifiedAt), restored.isEmpty() ? null : partnerCenterUpdatedAt);
        if (at != null) {
            agreed.put(SINCE, at.toString());
        }
        ObjectNode next = mapper.toSyncedReferral(new SalesforceImage(records, collections), current);
        ArrayNode fields = JSON.arrayNode();
        for (FieldRow row : mapper.map().fields()) {
            if (row.direction().toPartnerCenter() && !row.salesforce().equals(STAGE)) {
                row.partnerCenter().forEach(path -> difference(fields, current, next, path));
            }
        }
        for (CollectionRow c : mapper.map().collections()) {
            if (c.direction().toPartnerCenter()) {
                difference(fields, current, next, c.partnerCenter());
            }
        }
        String stage = (String) salesforce.record("Opportunity").get(tenant.fieldName(STAGE));
        List<ArrayNode> requests = moves(current, next, fields, stage);
        return new Result(requests, agreed, sent, problems, restored, replaced);
    }

    private static Object unmarked(TenantMapping tenant, FieldRow row, Object value) {
        return row.transform() == Transform.NAME && value instanceof String name ? Values.unmark(tenant, name)
                : value;
    }

    /** The agreement with names unmarked: agreements written before marks were stripped here may hold one. */
    private static Map<String, Object> unmarked(FieldMapper mapper, Map<String, Object> base) {
        if (base == null || !mapper.tenant().checkMark()) {
            return base;
        }
        Map<String, Object> clean = new LinkedHashMap<>(base);
        for (FieldRow row : mapper.map().fields()) {
            clean.computeIfPresent(row.salesforce(), (k, v) -> unmarked(mapper.tenant(), row, v));
        }
        return clean;
    }

    /**
     * Whether Partner Center's value, kept, should replace a different opportunity value: a field Partner Center owns,
     * or a "latest" field both sides moved away from the agreement (Partner Center was later, or it would have been
     * sent). Not when only Partner Center moved: the way in brings that change to Salesforce itself, and a snapshot
     * older than a seller's newest edit must not undo it.
     */
    private static boolean partnerCenterWon(Owner owner, Object agreed, Object ours, Object theirs) {
        if (same(ours, theirs)) {
            return false;
        }
        return owner == Owner.PARTNER_CENTER || owner == Owner.LATEST && !same(agreed, ours)
                && !same(agreed, theirs);
    }

    /**
     * The stage is the seller's to move (accept, win, lose): Partner Center cannot move an open referral of ours
     * itself, and the lifecycle refuses what is not a legal move. Unless a tenant gives the stage to Partner Center.
     */
    private static boolean stage(Owner owner, Object ours, Object theirs, Map<String, Object> agreed) {
        agreed.put(STAGE, ours);
        return !same(ours, theirs) && (owner == Owner.SALESFORCE || owner == Owner.LATEST);
    }

    /** When the agreement was made, as far as the opportunity's saves go ({@link #SINCE}); null when not known. */
    static Instant since(Map<String, Object> base) {
        return base != null && base.get(SINCE) instanceof String at ? Instant.parse(at) : null;
    }

    /**
     * Whether a save is older than the agreement ({@link #SINCE}): it holds no save the agreement has not seen, so a
     * "latest" value differing from the agreement is an older one, not a move away from it. A clock to the
     * millisecond (a change event's commit) is compared as it is; a clock in whole seconds ({@code SystemModstamp}
     * read by a poll or after a gap) only when its whole second is before the agreement's.
     */
    private static boolean before(Instant saved, Instant since) {
        if (saved == null || since == null) {
            return false;
        }
        return saved.isBefore(saved.getNano() != 0 ? since : since.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Whether Salesforce's change is later than Partner Center's: a tie goes to Partner Center. */
    private static boolean later(Instant salesforce, Instant partnerCenter) {
        return salesforce != null && (partnerCenter == null || salesforce.isAfter(partnerCenter));
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /**
     * Whether the opportunity still holds the value of this field that Partner Center's won over (and is being set
     * back): that is no move of Salesforce's away from the agreement.
     */
    private static boolean stillLost(Map<String, Object> base, String key, Object ours) {
        return base != null && base.containsKey(LOST + key) && same(base.get(LOST + key), ours);
    }

    /** Whether Salesforce's value is sent; records the new agreement. */
    private static boolean decide(String key, Owner owner, Object ours, Object theirs, Map<String, Object> base,
            boolean salesforceLater, boolean beforeAgreement, Map<String, Object> agreed) {
        boolean stillLost = stillLost(base, key, ours);
        if (!stillLost || same(ours, theirs)) {
            agreed.remove(LOST + key);
        }
        if (same(ours, theirs)) {
            agreed.put(key, ours);
            return false;
        }
        if (base == null) {
            // first sight: Partner Center keeps what differs, and Salesforce's value is the reference from now on
            agreed.put(key, ours);
            return false;
        }
        boolean send = switch (owner) {
            case SALESFORCE -> true;
            case PARTNER_CENTER, NEVER_OVERWRITE_INBOUND -> false;
            case LATEST -> {
                if (stillLost || beforeAgreement) {
                    yield false;
                }
                if (base.containsKey(key) && same(base.get(key), theirs)) {
                    yield true;
                }
                if (base.containsKey(key) && same(base.get(key), ours)) {
                    yield false;
                }
                yield salesforceLater;
            }
        };
        if (send) {
            agreed.put(key, ours);
        }
        return send;
    }

    private static List<ArrayNode> moves(JsonNode current, ObjectNode next, ArrayNode fields, String stage) {
        String from = current.path("status").asText();
        String to = next.path("status").asText();
        String toSub = next.path("substatus").asText();
        List<ArrayNode> requests = new ArrayList<>();
        if (to.equals(from) || to.isEmpty() || from.equals("Closed")) {
            if (!fields.isEmpty()) {
                requests.add(fields);
            }
            return requests;
        }
        String reason = "closed in Salesforce (stage '" + stage + "')";
        boolean fromNew = from.equals("New") || from.equals("None");
        if (fromNew && to.equals("Active")) {
            requests.add(status(fields, "Active", "Accepted", null));
        } else if (fromNew && toSub.equals("Won")) {
            requests.add(status(fields, "Active", "Accepted", null));
            requests.add(status(JSON.arrayNode(), "Closed", "Won", null));
        } else if (fromNew) {
            requests.add(status(fields, "Closed", "Declined", reason));
        } else if (toSub.equals("Won")) {
            requests.add(status(fields, "Closed", "Won", null));
        } else if (to.equals("Closed")) {
            requests.add(status(fields, "Closed", "Lost", reason));
        } else if (!fields.isEmpty()) {
            requests.add(fields);
        }
        return requests;
    }

    private static ArrayNode status(ArrayNode operations, String status, String substatus, String reason) {
        ArrayNode request = operations.deepCopy();
        request.add(operation("replace", "status", JSON.textNode(status)));
        request.add(operation("replace", "substatus", JSON.textNode(substatus)));
        if (reason != null) {
            request.add(operation("replace", "statusReason", JSON.textNode(reason)));
        }
        return request;
    }

    static void difference(ArrayNode operations, JsonNode current, ObjectNode next, String path) {
        JsonNode now = JsonPaths.get(current, path);
        JsonNode wanted = JsonPaths.get(next, path);
        if (!Objects.equals(now, wanted)) {
            operations.add(operation(now == null ? "add" : "replace", path,
                    wanted == null ? JSON.nullNode() : wanted));
        }
    }

    private static ObjectNode operation(String op, String dottedPath, JsonNode value) {
        ObjectNode operation = JSON.objectNode();
        operation.put("op", op);
        operation.put("path", "/" + dottedPath.replace('.', '/'));
        operation.set("value", value);
        return operation;
    }

    /** The referral's {@code updatedDateTime}, or null. */
    public static Instant updatedAt(JsonNode referral) {
        JsonNode at = referral.get("updatedDateTime");
        return at == null || at.isNull() ? null : Instant.parse(at.asText());
    }

    /** Equal in Salesforce's terms: numbers by value, lists item by item. */
    static boolean same(Object a, Object b) {
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        return Objects.equals(Values.normal(number(a)), Values.normal(number(b)));
    }

    private static Object number(Object value) {
        return value instanceof Number n && !(value instanceof BigDecimal) ? new BigDecimal(n.toString()) : value;
    }
}
