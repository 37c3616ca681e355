package io.cosellsync.partnercenterwriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.PartnerCenterCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.mapping.ReferralDocument;
import io.cosellsync.mapping.ReferralMerge;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.partnercenterwriter.config.PartnerCenterClients.Mappers;
import io.cosellsync.partnercenterwriter.persistence.ReferralLinks;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the partnercenter-writer would write for a command of a tenant in dry run, as a line: "would create referral
 * for 006…: name 'Contoso deal', details.dealValue 1200, …" or "would set referral … details.dealValue 1000 → 1200".
 * Updates read the referral (reading is allowed) and are planned as {@link ReferralWriter} plans them ({@link UpdatePlan}); nothing is
 * sent, no link or agreed value is stored.
 */
@ApplicationScoped
public class DryRunReferrals {

    private final ReferralsApi api;
    private final ReferralLinks links;
    private final Mappers mappers;

    public DryRunReferrals(ReferralsApi api, ReferralLinks links, Mappers mappers) {
        this.api = api;
        this.links = links;
        this.mappers = mappers;
    }

    public Uni<String> would(TenantId tenant, PartnerCenterCommand command) {
        return command.either(create -> create(tenant, create), update -> update(tenant, update));
    }

    private Uni<String> create(TenantId tenant, CreateReferralCommand command) {
        return links.find(tenant, command.opportunityId()).map(found -> {
            if (found.isPresent() && found.get().referralId() != null) {
                return "would create nothing: opportunity " + command.opportunityId() + " has referral "
                        + found.get().referralId() + " already";
            }
            List<String> values = new ArrayList<>();
            flatten("", ReferralDocument.wire(command.referral()), values);
            return "would create referral for " + command.opportunityId() + ": " + String.join(", ", values)
                    + (command.shareWithMicrosoft() ? "; and share it with Microsoft" : "");
        });
    }

    private Uni<String> update(TenantId tenant, UpdateReferralCommand command) {
        String referralId = command.referralId();
        if (command.restoreSalesforceOwned()) {
            return Uni.createFrom().item("would set back on referral " + referralId + " what Salesforce owns, where"
                    + " Partner Center changed it");
        }
        return links.find(tenant, command.opportunityId()).chain(link -> api.get(tenant, referralId).map(found -> {
            if (found.isEmpty()) {
                return "would fail: referral " + referralId + " does not exist in Partner Center";
            }
            JsonNode current = found.get().referral();
            if (ReferralMerge.closed(current)) {
                return "would change nothing: referral " + referralId + " is closed";
            }
            UpdatePlan plan = UpdatePlan.of(mappers.of(tenant), command, found.get(), link);
            if (!plan.problems().isEmpty()) {
                return "would fail: " + String.join("; ", plan.problems());
            }
            List<String> changes = new ArrayList<>();
            for (ArrayNode request : plan.requests()) {
                for (JsonNode op : request) {
                    String path = op.path("path").asText();
                    changes.add(path.substring(1).replace('/', '.') + " " + shown(current.at(path)) + " → "
                            + shown(op.get("value")));
                }
            }
            String line = changes.isEmpty() ? "would change nothing on referral " + referralId
                    : "would set referral " + referralId + " " + String.join(", ", changes);
            return plan.restored().isEmpty() ? line : line + "; and set back on the opportunity "
                    + String.join(", ", plan.restored().keySet());
        }));
    }

    private static void flatten(String prefix, JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull() && !node.isMissingNode()) {
            out.add(prefix + " " + shown(node));
        }
    }

    private static String shown(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "(none)";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        String text = value.isTextual() ? value.asText() : value.toString();
        return "'" + (text.length() > 80 ? text.substring(0, 77) + "…" : text) + "'";
    }
}
