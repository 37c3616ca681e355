package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.testing.PartnerCenterSignIn;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ownership policy under concurrent edits, through the whole system: {same field, different fields} ×
 * {partner-center, salesforce, latest}, each cell an opportunity of its own, edited in Salesforce by a seller and in
 * Partner Center by the partner's user while Partner Center's eTags churn (a "Microsoft" edit after half the reads).
 * Once the system settles, both sides hold the values the policy says, field by field.
 *
 * <p>fabrikam's mapping file (deploy/local/mappings/fabrikam.yaml) gives the fields their owners: notes and marketplace
 * intent are Partner Center's, the name and close date Salesforce's, the deal value and currency the later change's.
 * Cells of the two fixed owners run in both orders (Partner Center edited first, Salesforce first). The `latest` cell
 * whose Salesforce edit comes last runs after the churn is switched off: an eTag churn is a Microsoft edit that dates
 * the whole referral later than the seller's edit, and Partner Center has no per-field clock (mapping/README.md), so
 * under churn that cell has no fixed answer.
 */
class ConflictPolicyIT {

    private static final String TENANT = "fabrikam";
    private static final String PARTNER_USER = "integration@fabrikam-partners.example";
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    /** One field as both sides name it, its value on both once the system settles, and how each side reads. */
    private enum Field {
        NOTES("Description", "/details/notes"),
        INTENT("Customer_Marketplace_Intent__c", "/customerMarketplaceIntent"),
        NAME("Name", "/name"),
        CLOSE_DATE("CloseDate", "/details/closingDateTime"),
        AMOUNT("Amount", "/details/dealValue"),
        CURRENCY("CurrencyIsoCode", "/details/currency");

        final String salesforce;
        final String partnerCenter;

        Field(String salesforce, String partnerCenter) {
            this.salesforce = salesforce;
            this.partnerCenter = partnerCenter;
        }

        /** A value as Partner Center has it: a close date is a date-time at midnight UTC, a picklist value a code. */
        Object toPartnerCenter(Object value) {
            if (this == INTENT) {
                return value.equals("Have not decided") ? "HaveNotDecided" : value;
            }
            return this == CLOSE_DATE ? value + "T00:00:00Z" : value;
        }

        void assertSame(String cell, Object expected, JsonNode opportunity, JsonNode referral) {
            JsonNode sf = opportunity.path(salesforce);
            JsonNode pc = referral.at(partnerCenter);
            if (this == AMOUNT) {
                BigDecimal want = new BigDecimal(expected.toString());
                assertEquals(0, want.compareTo(new BigDecimal(sf.asText())), cell + ": Salesforce " + salesforce);
                assertEquals(0, want.compareTo(pc.decimalValue()), cell + ": Partner Center " + partnerCenter);
            } else {
                assertEquals(expected.toString(), sf.asText(), cell + ": Salesforce " + salesforce);
                // a close date compared as the day (Partner Center may write the time with fractions)
                String partner = this == CLOSE_DATE ? pc.asText().substring(0, 10) + "T00:00:00Z" : pc.asText();
                assertEquals(toPartnerCenter(expected).toString(), partner, cell + ": Partner Center "
                        + partnerCenter);
            }
        }
    }

    /**
     * One cell: what the seller and the partner's user change, who goes first, and the values both sides must hold.
     */
    private record Cell(String name, Map<Field, Object> seller, Map<Field, Object> partner, boolean partnerFirst,
            Map<Field, Object> expected, boolean churn) {

        Cell(String name, Map<Field, Object> seller, Map<Field, Object> partner, boolean partnerFirst,
                Map<Field, Object> expected) {
            this(name, seller, partner, partnerFirst, expected, true);
        }
    }

    /** The opportunities' values before the edits (see {@link #synced}; the name is the cell's tag and number). */
    private static final Map<Field, Object> START = Map.of(Field.NOTES, "start", Field.INTENT, "Have not decided",
            Field.CLOSE_DATE, "2027-06-30", Field.AMOUNT, 1000, Field.CURRENCY, "USD");

    private static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (boolean partnerFirst : List.of(true, false)) {
            String order = partnerFirst ? "Partner Center first" : "Salesforce first";
            cells.add(new Cell("partner-center, same field, " + order, Map.of(Field.NOTES, "seller notes"),
                    Map.of(Field.NOTES, "partner notes"), partnerFirst, Map.of(Field.NOTES, "partner notes")));
            cells.add(new Cell("partner-center, different fields, " + order, Map.of(Field.NOTES, "seller notes"),
                    Map.of(Field.INTENT, "Yes"), partnerFirst, Map.of(Field.NOTES, "start", Field.INTENT, "Yes")));
            cells.add(new Cell("salesforce, same field, " + order, Map.of(Field.NAME, "seller's name"),
                    Map.of(Field.NAME, "partner's name"), partnerFirst, Map.of(Field.NAME, "seller's name")));
            cells.add(new Cell("salesforce, different fields, " + order, Map.of(Field.NAME, "seller's name"),
                    Map.of(Field.CLOSE_DATE, "2027-09-30"), partnerFirst, Map.of(Field.NAME, "seller's name")));
        }
        cells.add(new Cell("latest, same field, Partner Center later", Map.of(Field.AMOUNT, 2222),
                Map.of(Field.AMOUNT, 3333), false, Map.of(Field.AMOUNT, 3333)));
        cells.add(new Cell("latest, different fields, Partner Center first", Map.of(Field.AMOUNT, 2222),
                Map.of(Field.CURRENCY, "EUR"), true, Map.of(Field.AMOUNT, 2222, Field.CURRENCY, "EUR")));
        cells.add(new Cell("latest, different fields, Salesforce first", Map.of(Field.AMOUNT, 2222),
                Map.of(Field.CURRENCY, "EUR"), false, Map.of(Field.AMOUNT, 2222, Field.CURRENCY, "EUR")));
        // without eTag churn: a "Microsoft" edit after the seller's would date the referral later (see above)
        cells.add(new Cell("latest, same field, Salesforce later, no churn", Map.of(Field.AMOUNT, 2222),
                Map.of(Field.AMOUNT, 3333), true, Map.of(Field.AMOUNT, 2222), false));
        return cells;
    }

    /** A seller's synced co-sell opportunity named after the cell, with the {@link #START} values. */
    private static String synced(LocalSystem.Customer customer, String name) {
        String id = system.coSellOpportunity(TENANT, customer.account(), customer.contact(), Map.of("Name", name,
                "Description", "start", "CurrencyIsoCode", "USD"));
        system.sellerUpdate(TENANT, "Opportunity", id, Map.of("Sync_with_Partner_Center__c", true));
        return id;
    }

    private static JsonNode opportunity(String id) {
        return system.soql(TENANT, "SELECT Name, Description, Customer_Marketplace_Intent__c, CloseDate, Amount,"
                + " CurrencyIsoCode, Referral_Identifier__c FROM Opportunity WHERE Id = '" + id + "'").get(0);
    }

    private static Map<String, Object> sellerValues(Map<Field, Object> values) {
        Map<String, Object> fields = new LinkedHashMap<>();
        values.forEach((f, v) -> fields.put(f.salesforce, v));
        return fields;
    }

    private static Map<String, Object> partnerValues(Map<Field, Object> values) {
        Map<String, Object> paths = new LinkedHashMap<>();
        values.forEach((f, v) -> paths.put(f.partnerCenter, f.toPartnerCenter(v)));
        return paths;
    }

    @Test
    void concurrentEditsSettleAsTheOwnersSayOnBothSides() throws Exception {
        String tag = "Own" + Long.toString(System.nanoTime() & 0xffffff, 36);
        LocalSystem.Customer customer = system.customer(TENANT, tag, "Ana", "Ruiz");
        List<Cell> cells = cells();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            ids.add(synced(customer, tag + " " + i));
        }
        Map<String, String> referralOf = new LinkedHashMap<>();
        Awaitility.await("the referrals").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (String id : ids) {
                        String referral = opportunity(id).path("Referral_Identifier__c").asText(null);
                        if (referral != null) {
                            referralOf.put(id, referral);
                        }
                    }
                    return referralOf.size() == ids.size();
                });
        // the creations' echoes settle before the edits, so each edit is a change from an agreed state
        AtomicReference<List<Long>> last = new AtomicReference<>(system.simulatorWrites(TENANT));
        Awaitility.await("the creations to settle").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(6))
                .until(() -> last.getAndSet(system.simulatorWrites(TENANT)).equals(last.get()));

        String token = PartnerCenterSignIn.deviceSignIn(system.partnerCenter(), TENANT, PARTNER_USER)
                .get("access_token").asText();
        List<Integer> churned = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).churn()) {
                churned.add(i);
            }
        }
        system.partnerCenterFaults(TENANT, Map.of("ETAG_CHURN", 0.5));
        try {
            churned.forEach(i -> edit(cells.get(i), token, ids.get(i), referralOf.get(ids.get(i))));
            Awaitility.await("the owners' values on both sides, eTags churning").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertCells(cells, churned, tag, ids, referralOf));
        } finally {
            system.partnerCenterFaults(TENANT, Map.of());
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            all.add(i);
            if (!cells.get(i).churn()) {
                edit(cells.get(i), token, ids.get(i), referralOf.get(ids.get(i)));
            }
        }

        // every cell's values on both sides, and still so once nothing has been written for 10 s
        Awaitility.await("the owners' values on both sides").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertCells(cells, all, tag, ids, referralOf));
        AtomicReference<List<Long>> writes = new AtomicReference<>(system.simulatorWrites(TENANT));
        Awaitility.await("the edits to settle").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(10))
                .until(() -> writes.getAndSet(system.simulatorWrites(TENANT)).equals(writes.get()));
        assertCells(cells, all, tag, ids, referralOf);
    }

    /**
     * The cell's two edits, in the cell's order, the second in the next second of the clock: fabrikam's org is
     * polled, and Salesforce's whole-second stamps cannot order two saves within one second (ADR 0004; same-second
     * saves are {@code NoLoopIT}'s, on an org with change events).
     */
    private static void edit(Cell cell, String token, String opportunityId, String referralId) {
        if (cell.partnerFirst()) {
            system.partnerEdit(token, referralId, partnerValues(cell.partner()));
            nextSecond();
            system.sellerUpdate(TENANT, "Opportunity", opportunityId, sellerValues(cell.seller()));
        } else {
            system.sellerUpdate(TENANT, "Opportunity", opportunityId, sellerValues(cell.seller()));
            nextSecond();
            system.partnerEdit(token, referralId, partnerValues(cell.partner()));
        }
    }

    private static void nextSecond() {
        long second = Instant.now().getEpochSecond();
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > second);
    }

    private static void assertCells(List<Cell> cells, List<Integer> which, String tag, List<String> ids,
            Map<String, String> referralOf) {
        Map<String, JsonNode> referrals = system.referralsById(TENANT);
        for (int i : which) {
            Cell cell = cells.get(i);
            JsonNode opportunity = opportunity(ids.get(i));
            JsonNode referral = referrals.get(referralOf.get(ids.get(i)));
            assertTrue(referral != null, cell.name() + ": the referral");
            Map<Field, Object> expected = new LinkedHashMap<>(START);
            expected.put(Field.NAME, tag + " " + i);
            expected.putAll(cell.expected());
            expected.forEach((field, value) -> field.assertSame(cell.name(), value, opportunity, referral));
        }
    }
}
