package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /sobjects/{Object}/updated} and {@code /deleted}: windows, rounding to minutes, limits and shapes. */
@QuarkusTest
class ReplicationTest {

    private static final DateTimeFormatter SF = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);

    private Org org;

    @BeforeEach
    void signIn() {
        org = Org.fresh("contoso");
    }

    private Instant now() {
        return Instant.parse(org.control().post("/_sim/clock/advance?seconds=1").then().statusCode(200).extract()
                .path("now"));
    }

    private void advance(Duration by) {
        org.control().post("/_sim/clock/advance?seconds=" + by.toSeconds()).then().statusCode(200);
        org = Org.signIn("contoso");
    }

    private JsonPath replicate(String kind, String object, Instant start, Instant end) {
        return org.rest().queryParam("start", start.atOffset(ZoneOffset.UTC).toString())
                .queryParam("end", end.atOffset(ZoneOffset.UTC).toString())
                .get(V + "/sobjects/" + object + "/" + kind + "/").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void updatedListsRowsModifiedInTheWindowRoundedToMinutes() {
        Instant start = now();
        String first = org.account("First");
        String second = org.account("Second");
        String gone = org.account("Gone");
        org.rest().delete(V + "/sobjects/Account/" + gone).then().statusCode(204);
        advance(Duration.ofMinutes(2));
        Instant afterCreates = now();
        org.patch("/sobjects/Account/" + first, Map.of("Phone", "555-0100")).then().statusCode(204);
        advance(Duration.ofMinutes(2));
        Instant end = now();

        JsonPath all = replicate("updated", "Account", start, end);
        assertEquals(List.of(second, first), all.getList("ids"));
        assertEquals(SF.format(end.truncatedTo(ChronoUnit.MINUTES)), all.getString("latestDateCovered"));
        assertEquals(List.of(first), replicate("updated", "Account", afterCreates, end).getList("ids"));
        // an end in the future is covered only up to the current minute (the one the call was answered in; now()
        // moves the clock a second, so the minute may turn between the two readings)
        Instant before = now();
        JsonPath future = replicate("updated", "Account", start, end.plus(Duration.ofDays(1)));
        Instant after = now();
        assertTrue(List.of(SF.format(before.truncatedTo(ChronoUnit.MINUTES)), SF.format(after.truncatedTo(
                ChronoUnit.MINUTES))).contains(future.getString("latestDateCovered")), future.prettify());
    }

    @Test
    void deletedListsDeletionsIncludingHardDeletesButNotRestoredRows() {
        Instant start = now();
        String account = org.account("Doomed");
        String restored = org.account("Restored");
        String opportunity = org.opportunity("Doomed deal", account);
        String member = org.create("OpportunityTeamMember", Map.of("OpportunityId", opportunity, "UserId",
                org.sellerId()));
        org.rest().delete(V + "/sobjects/OpportunityTeamMember/" + member).then().statusCode(204);
        org.rest().delete(V + "/sobjects/Account/" + account).then().statusCode(204);
        org.rest().delete(V + "/sobjects/Account/" + restored).then().statusCode(204);
        org.control().post("/_sim/orgs/contoso/seller/undelete/" + restored).then().statusCode(204);
        advance(Duration.ofMinutes(2));
        Instant end = now();

        JsonPath accounts = replicate("deleted", "Account", start, end);
        assertEquals(List.of(account), accounts.getList("deletedRecords.id"));
        assertTrue(accounts.getString("deletedRecords[0].deletedDate").matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"));
        assertEquals(List.of(opportunity), replicate("deleted", "Opportunity", start, end)
                .getList("deletedRecords.id"));
        assertEquals(List.of(member), replicate("deleted", "OpportunityTeamMember", start, end)
                .getList("deletedRecords.id"));
        assertEquals(SF.format(end.truncatedTo(ChronoUnit.MINUTES)), accounts.getString("latestDateCovered"));
        // the simulator knows deletions since the org's state began (the reset just before start), on a whole minute
        Instant earliest = OffsetDateTime.parse(accounts.getString("earliestDateAvailable"), SF).toInstant();
        assertEquals(earliest, earliest.truncatedTo(ChronoUnit.MINUTES));
        assertTrue(earliest.isAfter(start.minus(Duration.ofMinutes(1))) && !earliest.isAfter(start.plus(
                Duration.ofMinutes(1))),
                accounts.getString("earliestDateAvailable"));
    }

    @Test
    void windowsAreCheckedAsSalesforceDoes() {
        Instant now = now();
        expectError("updated", now.minus(Duration.ofDays(31)).toString(), now.toString(), "INVALID_REPLICATION_DATE");
        expectError("deleted", now.minus(Duration.ofDays(16)).toString(), now.toString(), "INVALID_REPLICATION_DATE");
        expectError("updated", now.toString(), now.minus(Duration.ofHours(1)).toString(), "INVALID_REPLICATION_DATE");
        expectError("updated", "yesterday", now.toString(), "INVALID_REPLICATION_DATE");
        org.rest().get(V + "/sobjects/Account/updated/").then().statusCode(400);
        org.rest().queryParam("start", now.toString()).queryParam("end", now.toString())
                .get(V + "/sobjects/Nope/updated/").then().statusCode(404);
        replicate("updated", "Account", now.minus(Duration.ofDays(29)), now);
        replicate("deleted", "Account", now.minus(Duration.ofDays(14)), now);
    }

    private void expectError(String kind, String start, String end, String code) {
        assertEquals(code, org.rest().queryParam("start", start).queryParam("end", end)
                .get(V + "/sobjects/Account/" + kind + "/").then().statusCode(400).extract().jsonPath()
                .getString("[0].errorCode"), kind + " " + start + " " + end);
    }
}
