package io.cosellsync.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import org.junit.jupiter.api.Test;

/** A payload that breaks the contract fails with an error that names the offending field. */
class MalformedPayloadTest {

    private static ObjectNode referralSample() {
        return (ObjectNode) EventCodec.mapper().valueToTree(GoldenSamples.referral());
    }

    private static MalformedEventException decodeFails(String json, Class<?> type) {
        return assertThrows(MalformedEventException.class, () -> EventCodec.decode(json, type));
    }

    @Test
    void missingRequiredTopLevelFieldIsNamed() {
        ObjectNode json = referralSample();
        json.remove("eTag");
        MalformedEventException e = decodeFails(json.toString(), ReferralSnapshot.class);
        assertEquals("eTag", e.field());
        assertTrue(e.getMessage().contains("'eTag'"), e.getMessage());
    }

    @Test
    void explicitNullInRequiredFieldIsNamed() {
        ObjectNode json = referralSample();
        json.putNull("referralId");
        assertEquals("referralId", decodeFails(json.toString(), ReferralSnapshot.class).field());
    }

    @Test
    void wrongTypeInNestedFieldIsNamedByItsPath() {
        ObjectNode json = referralSample();
        ((ObjectNode) json.get("details")).put("dealValue", "a lot");
        assertEquals("details.dealValue", decodeFails(json.toString(), ReferralSnapshot.class).field());
    }

    @Test
    void missingFieldInsideAListElementIsNamedByItsPath() {
        ObjectNode json = referralSample();
        ((ObjectNode) json.get("details").get("solutions").get(0)).remove("id");
        assertEquals("details.solutions[0].id", decodeFails(json.toString(), ReferralSnapshot.class).field());
    }

    @Test
    void unknownEnumValueIsNamed() {
        ObjectNode json = referralSample();
        json.put("substatus", "Sleeping");
        MalformedEventException e = decodeFails(json.toString(), ReferralSnapshot.class);
        assertEquals("substatus", e.field());
        assertTrue(e.getMessage().contains("Sleeping"), e.getMessage());
    }

    @Test
    void unsupportedPatchOperationIsRejected() {
        ObjectNode json = (ObjectNode) EventCodec.mapper().valueToTree(GoldenSamples.of(EventType.UPDATE_REFERRAL));
        ((ObjectNode) json.get("operations").get(1)).put("op", "remove");
        MalformedEventException e = decodeFails(json.toString(), UpdateReferralCommand.class);
        assertEquals("operations[1]", e.field());
        assertTrue(e.getMessage().contains("remove"), e.getMessage());
    }

    @Test
    void anUpdateNamesItsOpportunityUnlessItOnlyRestoresWhatSalesforceOwns() {
        ObjectNode json = (ObjectNode) EventCodec.mapper().valueToTree(GoldenSamples.of(EventType.UPDATE_REFERRAL));
        json.remove("opportunityId");
        assertEquals("opportunityId", decodeFails(json.toString(), UpdateReferralCommand.class).field());
        json.putArray("operations");
        json.put("restoreSalesforceOwned", true);
        UpdateReferralCommand restore = EventCodec.decode(json.toString(), UpdateReferralCommand.class);
        assertTrue(restore.restoreSalesforceOwned() && restore.opportunityId() == null);
        json.put("restoreSalesforceOwned", false).remove("opportunity");
        assertEquals("operations", decodeFails(json.put("opportunityId", "006000000000001AAA").toString(),
                UpdateReferralCommand.class).field());
    }

    @Test
    void notJsonIsRejectedWithoutAField() {
        assertEquals("$", decodeFails("{\"opportunity\": ", OpportunitySnapshot.class).field());
        assertEquals("$", assertThrows(MalformedEventException.class,
                () -> EventCodec.decode((byte[]) null, OpportunitySnapshot.class)).field());
    }

    @Test
    void unknownPropertiesAreIgnoredSoAdditiveChangesStayCompatible() {
        ObjectNode json = referralSample();
        json.put("addedInAFutureMinorVersion", 42);
        assertEquals(GoldenSamples.referral(), EventCodec.decode(json.toString(), ReferralSnapshot.class));
    }
}
