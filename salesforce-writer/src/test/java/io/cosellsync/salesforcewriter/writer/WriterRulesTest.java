package io.cosellsync.salesforcewriter.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer's small rules: the check mark, when a write would change nothing, customer match keys, grouping. */
class WriterRulesTest {

    @Test
    void theCheckMarkFollowsTheNameOnlyWhenItFitsIn120Characters() {
        assertEquals("Contoso rollout ✔", OpportunityWrites.marked("Contoso rollout"));
        String fits = "x".repeat(118);
        assertEquals(fits + " ✔", OpportunityWrites.marked(fits));
        String full = "x".repeat(119);
        assertEquals(full, OpportunityWrites.marked(full), "never cut a name to make room for the mark");
        // characters, not UTF-16 units: 118 emoji (236 units) and the mark fit
        String emoji = "😀".repeat(118);
        assertEquals(emoji + " ✔", OpportunityWrites.marked(emoji));
        // a name that ends with a mark of its own gets ours after it, once
        assertEquals("Deal ✔ ✔", OpportunityWrites.marked("Deal ✔"));
    }

    @Test
    void anOpportunityHoldsARecordOnlyWhenEveryFieldHasTheSameValue() {
        ObjectNode row = JsonNodeFactory.instance.objectNode().put("Id", "006000000000001AAA")
                .put("Name", "Deal ✔").put("Amount", 45000).put("CloseDate", "2026-12-31").putNull("Description");
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Name", "Deal ✔");
        record.put("Amount", new BigDecimal("45000.00"));
        record.put("CloseDate", "2026-12-31");
        record.put("Description", null);
        assertTrue(RecordValues.holdsAll(row, record), "45000 is 45000.00; null is null");

        record.put("Amount", new BigDecimal("45000.01"));
        assertFalse(RecordValues.holdsAll(row, record));
        assertEquals(List.of("Amount"), RecordValues.differing(row, record), "named for the debug log");
        record.put("Amount", 45000);
        record.put("Description", "");
        assertFalse(RecordValues.holdsAll(row, record), "empty text is not no value");
        record.remove("Description");
        record.put("NextStep", null);
        assertFalse(RecordValues.holdsAll(row, record), "a field not read is not known to hold anything");
        assertFalse(RecordValues.holdsAll(null, Map.of()), "an opportunity not read is written");
    }

    @Test
    void customersMatchRegardlessOfCaseSpacingAndFieldOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("Name", "Fabrikam Ltd ");
        a.put("BillingCountry", "us");
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("BillingCountry", "US");
        b.put("Name", "fabrikam ltd");
        assertEquals(AccountResolver.matchKey(a), AccountResolver.matchKey(b));
        b.put("BillingCountry", "DE");
        assertNotEquals(AccountResolver.matchKey(a), AccountResolver.matchKey(b));
    }

    @Test
    void recordsWantedTwiceAreGroupedOnceInFirstSeenOrder() {
        List<String> wanted = List.of("acc1/ana", "acc2/bo", "acc1/ana", "acc1/cy", "acc2/bo");
        assertEquals(List.of(List.of("acc1/ana", "acc1/ana"), List.of("acc2/bo", "acc2/bo"), List.of("acc1/cy")),
                ChildRecordWriter.grouped(wanted, w -> w));
    }
}
