package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Query paging: nextRecordsUrl, batch sizes, queryAll, and the life of query locators. */
@QuarkusTest
class SoqlPagingTest {

    private static final String ALL_ACCOUNTS = "SELECT Id, Name FROM Account ORDER BY Name";

    /** Creates {@code count} accounts named "Account 00001"… with sObject Collections, 200 per call. */
    private static List<String> seed(Org org, int count) {
        List<String> names = IntStream.rangeClosed(1, count).mapToObj(i -> String.format("Account %05d", i))
                .toList();
        for (int from = 0; from < count; from += 200) {
            List<Map<String, Object>> records = names.subList(from, Math.min(count, from + 200)).stream()
                    .map(n -> Map.<String, Object>of("attributes", Map.of("type", "Account"), "Name", n)).toList();
            org.post("/composite/sobjects", Map.of("allOrNone", true, "records", records)).then().statusCode(200);
        }
        return names;
    }

    private static RequestSpecification withBatch(Org org, Integer batchSize) {
        RequestSpecification request = org.rest();
        return batchSize == null ? request : request.header("Sforce-Query-Options", "batchSize=" + batchSize);
    }

    /** Follows nextRecordsUrl to the end; checks every page's shape and returns the pages' sizes and names. */
    private static List<Integer> readAll(Org org, String resource, String soql, Integer batchSize, int total,
            List<String> names) {
        List<Integer> pages = new ArrayList<>();
        JsonPath page = withBatch(org, batchSize).queryParam("q", soql).get(V + "/" + resource).then()
                .statusCode(200).extract().jsonPath();
        int consumed = 0;
        while (true) {
            assertEquals(total, page.getInt("totalSize"));
            List<String> pageNames = page.getList("records.Name");
            names.addAll(pageNames);
            pages.add(pageNames.size());
            consumed += pageNames.size();
            if (page.getBoolean("done")) {
                assertNull(page.get("nextRecordsUrl"));
                return pages;
            }
            String next = page.getString("nextRecordsUrl");
            assertTrue(next.matches(V + "/" + resource + "/01g[0-9A-Za-z]{15}-" + consumed), next);
            page = withBatch(org, batchSize).get(next).then().statusCode(200).extract().jsonPath();
        }
    }

    @Test
    void pagesThroughFiveThousandRowsWithEveryBatchSize() {
        Org org = Org.fresh("contoso");
        List<String> expected = seed(org, 5000);
        Map<Integer, List<Integer>> expectedPages = new HashMap<>();
        expectedPages.put(2000, List.of(2000, 2000, 1000));
        expectedPages.put(1000, List.of(1000, 1000, 1000, 1000, 1000));
        expectedPages.put(1500, List.of(1500, 1500, 1500, 500));
        expectedPages.put(200, IntStream.range(0, 25).mapToObj(i -> 200).toList());
        // the header is advisory: outside 200..2000 the nearest bound is used; absent means 2000
        Map<Integer, Integer> effective = new HashMap<>(Map.of(137, 200, 5000, 2000, 2000, 2000, 1000, 1000,
                1500, 1500, 200, 200));
        List<Integer> requested = new ArrayList<>(List.of(2000, 1000, 1500, 200, 137, 5000));
        requested.add(null);
        for (Integer batch : requested) {
            List<String> names = new ArrayList<>();
            List<Integer> pages = readAll(org, "query", ALL_ACCOUNTS, batch, 5000, names);
            assertEquals(expectedPages.get(batch == null ? 2000 : effective.get(batch)), pages, "batch " + batch);
            assertEquals(expected, names, "batch " + batch);
        }
    }

    @Test
    void queryAllPagesIncludeDeletedRows() {
        Org org = Org.fresh("contoso");
        seed(org, 2100);
        List<String> ids = org.rest().queryParam("q", "SELECT Id FROM Account ORDER BY Name LIMIT 3")
                .get(V + "/query").then().extract().jsonPath().getList("records.Id");
        ids.forEach(id -> org.rest().delete(V + "/sobjects/Account/" + id).then().statusCode(204));
        List<String> live = new ArrayList<>();
        assertEquals(List.of(2000, 97), readAll(org, "query", ALL_ACCOUNTS, null, 2097, live));
        List<String> all = new ArrayList<>();
        assertEquals(List.of(2000, 100), readAll(org, "queryAll", ALL_ACCOUNTS, null, 2100, all));
        assertFalse(live.contains("Account 00001"));
        assertEquals("Account 00001", all.get(0));
    }

    @Test
    void locatorsBelongToTheirOrgUserAndStateAndExpire() {
        Org contoso = Org.fresh("contoso");
        seed(contoso, 450);
        String next = withBatch(contoso, 200).queryParam("q", ALL_ACCOUNTS).get(V + "/query").then()
                .statusCode(200).extract().path("nextRecordsUrl");
        assertLocatorRefused(contoso, next.replace("-200", "-451"));
        assertLocatorRefused(contoso, V + "/query/01gNOTALOCATOR0000-200");
        assertLocatorRefused(Org.signIn("fabrikam"), next);
        // any offset of an open locator can be read, not only the next; reading the last rows closes it
        assertEquals(200, contoso.rest().get(next).then().statusCode(200).extract().jsonPath()
                .getList("records").size());
        JsonPath last = contoso.rest().get(next.replace("-200", "-400")).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(50, last.getList("records").size());
        assertTrue(last.getBoolean("done"));
        assertLocatorRefused(contoso, next);
        next = withBatch(contoso, 200).queryParam("q", ALL_ACCOUNTS).get(V + "/query").then().extract()
                .path("nextRecordsUrl");

        // a user keeps ten locators open: the eleventh closes the oldest
        List<String> opened = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            opened.add(withBatch(contoso, 200).queryParam("q", ALL_ACCOUNTS).get(V + "/query").then()
                    .extract().path("nextRecordsUrl"));
        }
        assertLocatorRefused(contoso, next);
        assertLocatorRefused(contoso, opened.get(0));
        contoso.rest().get(opened.get(1)).then().statusCode(200);

        // locators last two days
        contoso.control().post("/_sim/clock/advance?seconds=" + (2 * 24 * 3600 + 60)).then().statusCode(200);
        Org later = Org.signIn("contoso");
        assertLocatorRefused(later, opened.get(2));

        // and end with the org's state
        String fresh = withBatch(later, 200).queryParam("q", ALL_ACCOUNTS).get(V + "/query").then()
                .extract().path("nextRecordsUrl");
        later.control().post("/_sim/orgs/contoso/reset").then().statusCode(200);
        assertLocatorRefused(Org.signIn("contoso"), fresh);
    }

    private static void assertLocatorRefused(Org org, String url) {
        JsonPath error = org.rest().get(url).then().statusCode(400).extract().jsonPath();
        assertEquals("INVALID_QUERY_LOCATOR", error.getString("[0].errorCode"));
        assertEquals("invalid query locator", error.getString("[0].message"));
    }
}
