package io.cosellsync.partnercenterwriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.command.OpportunityImage;
import io.cosellsync.events.command.PatchOperation;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.MappingException;
import io.cosellsync.mapping.ReferralMerge;
import io.cosellsync.mapping.SalesforceImage;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.partnercenterwriter.persistence.ReferralLinks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an update would send, given the referral as Partner Center holds it and the values last agreed on: the
 * requests, in order, and what follows from them. Pure; used by {@link ReferralWriter} and, to say what it would
 * send, by {@link DryRunReferrals}.
 *
 * @param requests the PATCH bodies; empty when nothing differs
 * @param agreed   the agreement once they are applied
 * @param fields   what they change (API names, or the paths of explicit operations)
 * @param problems what the seller must fix first; when not empty, nothing may be sent
 * @param restored Opportunity fields to write back: Partner Center's value won over the seller's
 * @param replaced the seller's values they won over
 */
record UpdatePlan(List<ArrayNode> requests, Map<String, Object> agreed, List<String> fields, List<String> problems,
        Map<String, Object> restored, Map<String, Object> replaced) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * @param found the referral as Partner Center holds it
     * @param link  the opportunity's link, when there is one: the values last agreed on (none: the referral was never
     *              compared) and the versions our own PATCHes made
     */
    static UpdatePlan of(FieldMapper mapper, UpdateReferralCommand command, ReferralsApi.Fetched found,
            Optional<ReferralLinks.Link> link) {
        JsonNode current = found.referral();
        Map<String, Object> base = link.map(ReferralLinks.Link::base).orElse(null);
        List<ArrayNode> requests = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        if (!command.operations().isEmpty()) {
            ArrayNode given = JSON.arrayNode();
            for (PatchOperation op : command.operations()) {
                JsonNode value = EventCodec.mapper().valueToTree(op.value());
                String path = op.path().substring(1).replace('/', '.');
                if (!value.equals(at(current, path))) {
                    given.addObject().put("op", op.op()).put("path", op.path()).set("value", value);
                    fields.add(op.path());
                }
            }
            if (!given.isEmpty()) {
                requests.add(given);
            }
        }
        Map<String, Object> agreed = base == null ? Map.of() : base;
        OpportunityImage image = command.opportunity();
        // the link of a referral to the opportunity created for it carries that opportunity as created: the first
        // agreement on the pair, and nothing to compare once the pair has one
        if (image == null || !command.operations().isEmpty() && base != null) {
            return new UpdatePlan(requests, agreed, fields, List.of(), Map.of(), Map.of());
        }
        ReferralMerge.Result merged;
        try {
            merged = ReferralMerge.merge(mapper, new SalesforceImage(image.records(), image.collections()),
                    new ReferralMerge.Clocks(image.modifiedAt(), image.ourFields(), image.fieldClocks(),
                            partnerCenterChangedAt(found, link)), current, base);
        } catch (MappingException e) {
            return failed(agreed, List.of(e.getMessage()));
        }
        if (!merged.problems().isEmpty()) {
            return failed(agreed, merged.problems());
        }
        requests.addAll(merged.requests());
        merged.sent().forEach(f -> fields.add(mapper.tenant().apiName(f)));
        return new UpdatePlan(requests, merged.agreed(), fields, List.of(), merged.restored(), merged.replaced());
    }

    /** When Partner Center last changed the referral's values itself (not by our own PATCH), as far as known. */
    static Instant partnerCenterChangedAt(ReferralsApi.Fetched found, Optional<ReferralLinks.Link> link) {
        Instant updatedAt = ReferralMerge.updatedAt(found.referral());
        return link.map(l -> l.partnerCenterChangedAt(found.eTag(), updatedAt)).orElse(updatedAt);
    }

    private static UpdatePlan failed(Map<String, Object> agreed, List<String> problems) {
        return new UpdatePlan(List.of(), agreed, List.of(), problems, Map.of(), Map.of());
    }

    private static JsonNode at(JsonNode root, String dottedPath) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() ? JSON.nullNode() : node;
    }
}
