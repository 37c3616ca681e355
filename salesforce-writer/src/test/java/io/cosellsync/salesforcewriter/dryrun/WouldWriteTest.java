package io.cosellsync.salesforcewriter.dryrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lines a dry run records: what would be created, and for an existing opportunity each field old → new. */
class WouldWriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static UpsertOpportunityCommand upsert(Map<String, Object> fields) {
        return new UpsertOpportunityCommand("ref-1", "Referral_Identifier__c", Instant.parse("2026-12-01T00:00:00Z"),
                false, fields, Map.of("StageName", "Co-sell Pending"), List.of(),
                new UpsertOpportunityCommand.StageMove("Co-sell Pending", "Co-sell Active"), null, List.of());
    }

    @Test
    void aNewReferralWouldCreateAnOpportunityWithEveryValue() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", "Contoso deal");
        fields.put("Amount", 1200);
        String line = WouldWrite.upsert(upsert(fields), null);
        assertEquals("would create Opportunity for referral ref-1: Name 'Contoso deal', Amount 1200, StageName"
                + " 'Co-sell Pending', Referral_Identifier__c 'ref-1'", line);
    }

    @Test
    void anExistingOpportunityShowsOnlyWhatWouldChange() {
        ObjectNode current = JSON.createObjectNode().put("Id", "0065g0000000001AAA").put("Name", "Contoso deal")
                .put("Amount", 1000.0).put("StageName", "Co-sell Pending");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", "Contoso deal");
        fields.put("Amount", 1200);
        assertEquals("would set Opportunity 0065g0000000001AAA (referral ref-1) Amount 1000 → 1200, StageName"
                + " 'Co-sell Pending' → 'Co-sell Active'", WouldWrite.upsert(upsert(fields), current));
        current.put("Amount", 1200).put("StageName", "Closed Won");
        assertEquals("would change nothing on Opportunity 0065g0000000001AAA (referral ref-1)",
                WouldWrite.upsert(upsert(fields), current));
    }

    @Test
    void aWriteBackNamesItsFieldsItsAuditLineAndItsMark() {
        ObjectNode current = JSON.createObjectNode().put("Id", "006A").putNull("Referral_Identifier__c");
        String line = WouldWrite.update(new UpdateOpportunityCommand("006A", Map.of("Referral_Identifier__c", "r-9"),
                "referral r-9 created", "Partner_Center_Audit__c", UpdateOpportunityCommand.Mark.SUCCEEDED),
                current);
        assertEquals("would set Opportunity 006A Referral_Identifier__c (none) → 'r-9', add to Partner_Center_Audit__c"
                + " 'referral r-9 created', mark the name ✔", line);
        assertTrue(WouldWrite.update(new UpdateOpportunityCommand("006B", Map.of("Amount", 1), null, null, null),
                null).startsWith("would fail"));
    }
}
