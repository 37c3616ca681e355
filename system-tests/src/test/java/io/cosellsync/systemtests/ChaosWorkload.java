package io.cosellsync.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.testing.PartnerCenterSignIn;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the chaos suite's users do, at random, on both tenants: Microsoft shares referrals and updates them, sellers
 * create co-sell opportunities and sync them, edit, accept or decline shared ones, win and lose them; the partner's
 * users edit referrals in Partner Center. Every change that was made (its call answered) goes into the
 * {@link ChaosLedger}; one that failed (a fault of the simulators' user-facing APIs) is not, and the worker moves on.
 */
final class ChaosWorkload {

    private static final Map<String, String> PARTNER_USERS = Map.of("contoso", "integration@contoso.example",
            "fabrikam", "integration@fabrikam-partners.example");

    private final LocalSystem system;
    private final ChaosLedger ledger;
    private final Map<String, TenantMapping> mappings;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> refusals = new ConcurrentHashMap<>();

    ChaosWorkload(LocalSystem system, ChaosLedger ledger, Map<String, TenantMapping> mappings) {
        this.system = system;
        this.ledger = ledger;
        this.mappings = mappings;
    }

    long failedActions() {
        return failed.get();
    }

    /** The refused actions by what refused them (the error's first words, numbers and ids left out). */
    Map<String, Long> refusals() {
        return new TreeMap<>(refusals);
    }

    /** One random action; returns whether a change was made. */
    boolean act(Random random) {
        String tenant = random.nextBoolean() ? "contoso" : "fabrikam";
        List<ChaosLedger.Pair> open = ledger.pairs().stream().filter(p -> p.tenant.equals(tenant) && !p.closed
                && p.opportunityId != null && p.referralId != null).toList();
        int roll = random.nextInt(100);
        try {
            if (open.size() < 5 || roll < 6) {
                newDeal(tenant);
            } else if (roll < 10) {
                share(tenant);
            } else {
                ChaosLedger.Pair pair = open.get(random.nextInt(open.size()));
                synchronized (pair) {
                    if (pair.closed) {
                        return false;
                    }
                    if (pair.shared && !pair.accepted) {
                        decide(pair, roll % 4 != 0);
                    } else if (roll < 50) {
                        sellerEdit(pair);
                    } else if (roll < 85) {
                        partnerEdit(pair, "/details/notes", "/details/dealValue", "partner edit ");
                    } else if (roll < 92) {
                        microsoftUpdate(pair);
                    } else {
                        close(pair, random.nextBoolean());
                    }
                }
            }
            return true;
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            String message = String.valueOf(e.getMessage());
            refusals.merge(message.substring(0, Math.min(message.length(), 120))
                    .replaceAll("[0-9A-Za-z]*[0-9][0-9A-Za-z-]*", "#"), 1L, Long::sum);
            return false;
        }
    }

    /** A seller's new customer and co-sell opportunity, synced. */
    private void newDeal(String tenant) {
        String tag = "Chaos" + Long.toString(sequence.incrementAndGet(), 36) + Long.toString(System.nanoTime()
                & 0xfff, 36);
        LocalSystem.Customer customer = system.customer(tenant, tag, "Kim", "Ito");
        String id = system.coSellOpportunity(tenant, customer.account(), customer.contact(), Map.of("Name",
                tag + " deal", "Description", "start"));
        system.sellerUpdate(tenant, "Opportunity", id, Map.of("Sync_with_Partner_Center__c", true));
        ledger.add(new ChaosLedger.Pair(tenant, false, id, null));
        ledger.counted("seller creates and syncs");
    }

    /** Microsoft shares a referral with the tenant (its opportunity is made by the salesforce-writer). */
    private void share(String tenant) {
        try {
            String tag = "chaos" + sequence.incrementAndGet() + "-" + Long.toString(System.nanoTime() & 0xffff, 36);
            String id = system.postToPartnerCenter("/_sim/tenants/" + tenant + "/shared-referrals",
                    PartnerCenterToSalesforceIT.sharedReferral(tag)).path("id").asText();
            ledger.add(new ChaosLedger.Pair(tenant, true, null, id));
            ledger.counted("Microsoft shares");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void sellerEdit(ChaosLedger.Pair pair) {
        long n = sequence.incrementAndGet();
        String notes = "seller edit " + n;
        BigDecimal value = BigDecimal.valueOf(2000 + n);
        system.sellerUpdate(pair.tenant, "Opportunity", pair.opportunityId, Map.of("Description", notes, "Amount",
                value));
        pair.saved(new ChaosLedger.Save(ChaosLedger.Side.SALESFORCE, Instant.now(), notes, value));
        ledger.counted("seller edits");
    }

    private void partnerEdit(ChaosLedger.Pair pair, String notesPath, String valuePath, String prefix) {
        long n = sequence.incrementAndGet();
        String notes = prefix + n;
        BigDecimal value = BigDecimal.valueOf(5000 + n);
        try {
            system.partnerEdit(token(pair.tenant), pair.referralId, Map.of(notesPath, notes, valuePath, value));
        } catch (RuntimeException e) {
            tokens.remove(pair.tenant); // signed in again next time (a revoked token, or a fault)
            throw e;
        }
        pair.saved(new ChaosLedger.Save(ChaosLedger.Side.PARTNER_CENTER, Instant.now(), notes, value));
        ledger.counted("partner edits");
    }

    /** Microsoft updates the referral's deal value and notes (as a Microsoft seller would, on its side). */
    private void microsoftUpdate(ChaosLedger.Pair pair) {
        long n = sequence.incrementAndGet();
        String notes = "microsoft edit " + n;
        BigDecimal value = BigDecimal.valueOf(8000 + n);
        system.postToPartnerCenter("/_sim/tenants/" + pair.tenant + "/referrals/" + pair.referralId + "/microsoft",
                Map.of("action", "update", "notes", notes, "dealValue", value));
        pair.saved(new ChaosLedger.Save(ChaosLedger.Side.PARTNER_CENTER, Instant.now(), notes, value));
        ledger.counted("Microsoft updates");
    }

    /** A seller accepts (moves out of the pending stage) or declines a shared referral's opportunity. */
    private void decide(ChaosLedger.Pair pair, boolean accept) {
        TenantMapping mapping = mappings.get(pair.tenant);
        String stage = accept ? mapping.activeStage() : mapping.closedStage(ReferralSubstatus.LOST);
        system.sellerUpdate(pair.tenant, "Opportunity", pair.opportunityId, Map.of("StageName", stage));
        pair.accepted = accept;
        pair.closed = !accept;
        ledger.counted(accept ? "seller accepts" : "seller declines");
    }

    /** A seller wins or loses the deal: the referral closes. */
    private void close(ChaosLedger.Pair pair, boolean won) {
        TenantMapping mapping = mappings.get(pair.tenant);
        system.sellerUpdate(pair.tenant, "Opportunity", pair.opportunityId, Map.of("StageName",
                mapping.closedStage(won ? ReferralSubstatus.WON : ReferralSubstatus.LOST)));
        pair.closed = true;
        ledger.counted(won ? "seller wins" : "seller loses");
    }

    private String token(String tenant) {
        return tokens.computeIfAbsent(tenant, t -> PartnerCenterSignIn.deviceSignIn(system.partnerCenter(), t,
                PARTNER_USERS.get(t)).get("access_token").asText());
    }

    /**
     * Learns the ids the system gave: a seller's deal's referral (its Referral Identifier), a shared referral's
     * opportunity. Until then a pair is not edited.
     */
    void learnIds() {
        for (ChaosLedger.Pair pair : ledger.pairs()) {
            if (pair.referralId == null) {
                List<JsonNode> rows = system.soql(pair.tenant, "SELECT Referral_Identifier__c FROM Opportunity WHERE Id"
                        + " = '" + pair.opportunityId + "'");
                JsonNode referral = rows.isEmpty() ? null : rows.get(0).path("Referral_Identifier__c");
                if (referral != null && referral.isTextual() && !referral.asText().isEmpty()) {
                    pair.referralId = referral.asText();
                }
            } else if (pair.opportunityId == null) {
                List<JsonNode> rows = system.soql(pair.tenant, "SELECT Id FROM Opportunity WHERE"
                        + " Referral_Identifier__c = '" + pair.referralId + "'");
                if (!rows.isEmpty()) {
                    pair.opportunityId = rows.get(0).path("Id").asText();
                }
            }
        }
    }
}
