package io.cosellsync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Referral → opportunity → referral, with generated referrals: every two-way value comes back (under the
 * equivalences Salesforce forces and mapping/README.md documents), a Salesforce edit reads back as itself, and an
 * unchanged opportunity changes nothing on the referral.
 */
class ReferralRoundTripTest {

    static FieldMapper mapper(boolean checkMark) {
        TenantMapping tenant = TenantMappings.parse("checkMark: " + checkMark + "\nactiveStage: Qualification\n"
                + "pendingStage: Co-sell Pending\n", "test", FieldMap.standard());
        return new FieldMapper(FieldMap.standard(), tenant);
    }

    @Provide
    Arbitrary<ReferralSnapshot> referrals() {
        return Referrals.referral();
    }

    private static boolean endsWithMark(String name) {
        return Values.CHECK_MARKS.stream().anyMatch(name::endsWith);
    }

    @Property
    void everyTwoWayValueSurvivesTheTripThroughSalesforce(@ForAll("referrals") ReferralSnapshot referral,
            @ForAll boolean checkMark) {
        // documented: with check marks on, a name ending in " ✔" or " ✖" loses that ending in Partner Center
        Assume.that(!checkMark || !endsWithMark(referral.name()));
        FieldMapper mapper = mapper(checkMark);
        ObjectNode original = ReferralDocument.of(referral);
        SalesforceImage opportunity = mapper.toSalesforce(original);
        // applied onto a referral that knows only its id, status and creation: nothing comes from the original
        ObjectNode skeleton = JsonNodeFactory.instance.objectNode();
        for (String key : List.of("id", "status", "substatus", "createdDateTime")) {
            skeleton.set(key, original.get(key));
        }
        ObjectNode back = mapper.toPartnerCenter(opportunity, skeleton);
        // onto a referral that knows nothing, a value a default filled in is as real as any: it comes back
        ObjectNode expected = withDefaults(mapper, original);
        for (FieldRow row : mapper.map().fields()) {
            if (row.direction() == Direction.BOTH) {
                assertSame(row, expected, back);
            }
        }
        for (CollectionRow c : mapper.map().collections()) {
            JsonNode was = JsonPaths.get(expected, c.partnerCenter());
            JsonNode is = JsonPaths.get(back, c.partnerCenter());
            int size = was == null ? 0 : was.size();
            assertEquals(size, is == null ? 0 : is.size(), c.partnerCenter());
            for (int i = 0; i < size; i++) {
                for (FieldRow row : c.fields()) {
                    assertSame(row, was.get(i), is.get(i));
                }
            }
        }
    }

    @Property
    void aSalesforceEditReadsBackAsItself(@ForAll("referrals") ReferralSnapshot current,
            @ForAll("referrals") ReferralSnapshot edited, @ForAll boolean checkMark) {
        Assume.that(!checkMark || !endsWithMark(edited.name()));
        FieldMapper mapper = mapper(checkMark);
        SalesforceImage edit = mapper.toSalesforce(ReferralDocument.of(edited));
        ObjectNode referral = mapper.toSyncedReferral(edit, ReferralDocument.of(current));
        SalesforceImage again = mapper.toSalesforce(referral);
        String currentStatus = current.status().name();
        String stage = (String) edit.record("Opportunity").get("StageName");
        for (FieldRow row : mapper.map().fields()) {
            if (row.direction() != Direction.BOTH) {
                continue;
            }
            if (row.transform() == Transform.STAGE && (currentStatus.equals("CLOSED")
                    || stage.equals(mapper.tenant().pendingStage()))) {
                // closed referrals never change, and stage moves into the pending stage are not sent
                continue;
            }
            String field = mapper.tenant().fieldName(row.salesforce());
            assertEquals(Values.normal(edit.record(row.object()).get(field)),
                    Values.normal(again.record(row.object()).get(field)), row.label());
        }
        for (CollectionRow c : mapper.map().collections()) {
            assertEquals(edit.collection(c.salesforce()), again.collection(c.salesforce()), c.partnerCenter());
        }
    }

    @Property
    void anUnchangedOpportunityChangesNothingOnTheReferral(@ForAll("referrals") ReferralSnapshot referral,
            @ForAll boolean checkMark) {
        FieldMapper mapper = mapper(checkMark);
        ObjectNode document = ReferralDocument.of(referral);
        assertEquals(document, mapper.toSyncedReferral(mapper.toSalesforce(document), document));
    }

    /**
     * The referral with the tenant's defaults in the places it leaves empty (the closing date, a contact's last
     * name): what an opportunity made from it holds, read back as Partner Center values.
     */
    private static ObjectNode withDefaults(FieldMapper mapper, ObjectNode referral) {
        ObjectNode filled = referral.deepCopy();
        String closing = (String) mapper.toSalesforce(referral).record("Opportunity").get("CloseDate");
        if (text(JsonPaths.get(referral, "details.closingDateTime")) == null && closing != null) {
            JsonPaths.set(filled, "details.closingDateTime", JsonNodeFactory.instance.textNode(closing
                    + "T00:00:00Z"));
        }
        String lastName = mapper.tenant().defaults().get("Contact.LastName");
        JsonNode team = JsonPaths.get(filled, "customerProfile.team");
        if (team != null && team.isArray()) {
            team.forEach(member -> {
                if (text(member.get("lastName")) == null) {
                    ((ObjectNode) member).put("lastName", lastName);
                }
            });
        }
        return filled;
    }

    /** The two Partner Center values are the same under the equivalences Salesforce forces on the row. */
    private static void assertSame(FieldRow row, JsonNode original, JsonNode back) {
        List<String> paths = row.partnerCenter();
        String label = row.label();
        JsonNode a = JsonPaths.get(original, paths.get(0));
        JsonNode b = JsonPaths.get(back, paths.get(0));
        switch (row.transform()) {
            case TEXT -> assertEquals(text(a), text(b), label);
            case NAME -> assertEquals(truncated(text(a)), text(b), label);
            case DECIMAL -> assertEquals(a == null ? null : a.decimalValue().setScale(2),
                    b == null ? null : b.decimalValue().setScale(2), label);
            case CURRENCY, COUNTRY_CODE -> assertEquals(text(a) == null ? null : text(a).toUpperCase(), text(b),
                    label);
            case UTC_DATE -> {
                Instant was = a == null ? null : Instant.parse(a.asText());
                Instant is = b == null ? null : Instant.parse(b.asText());
                assertEquals(was == null ? null : was.atOffset(ZoneOffset.UTC).toLocalDate(),
                        is == null ? null : is.atOffset(ZoneOffset.UTC).toLocalDate(), label);
                if (was != null && was.equals(was.atOffset(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC)
                        .toInstant())) {
                    assertEquals(was, is, label + ": a UTC midnight comes back exactly");
                }
            }
            case STAGE -> {
                assertEquals(text(a), text(b), label);
                assertEquals(text(JsonPaths.get(original, paths.get(1))), text(JsonPaths.get(back, paths.get(1))),
                        label);
            }
            case PICKLIST -> assertEquals("Unknown".equals(text(a)) ? null : text(a), text(b), label);
            case CHECKBOX -> assertEquals(a != null && a.asBoolean(), b != null && b.asBoolean(), label);
            case STREET -> {
                assertEquals(text(a), text(b), label);
                assertEquals(text(JsonPaths.get(original, paths.get(1))), text(JsonPaths.get(back, paths.get(1))),
                        label);
            }
            case FIRST_PRESENT -> {
                String first = text(a) != null ? text(a) : text(JsonPaths.get(original, paths.get(1)));
                assertEquals(first, text(b), label + ": the present value comes back in the first path");
            }
            case CONSTANT_TRUE -> {
            }
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    private static String truncated(String s) {
        return s == null || s.codePointCount(0, s.length()) <= 120 ? s : s.substring(0, s.offsetByCodePoints(0, 120));
    }

}
