package io.cosellsync.simulator.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.Direction;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.simulator.salesforce.org.OrgSettings;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import io.cosellsync.simulator.salesforce.schema.SalesforcePackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Salesforce package ({@code deploy/salesforce}) is the one source of the co-sell fields: the seeded orgs are
 * built from it, it holds every custom field the field map and the Audit trail use, its permission set grants what
 * the services need and nothing more, and its Change Data Capture selections are the objects ingress subscribes to.
 */
class SalesforcePackageTest {

    private static final Path SOURCE = Path.of("../../deploy/salesforce/force-app/main/default");
    private static final OrgSchema ORG = new OrgSchema(new OrgSettings("Co-sell Pending", "Co-sell Active",
            List.of(), List.of(), false, List.of(), 15000));
    /** What ingress reads beyond the map: the opportunity's account. */
    private static final Set<String> READ_BEYOND_THE_MAP = Set.of("Opportunity.AccountId");

    @Test
    void theSeededOrgsHoldThePackagesObjectsAndFieldsAsDeclared() {
        SalesforcePackage pkg = SalesforcePackage.get();
        Field identifier = field("Opportunity.Referral_Identifier__c");
        assertTrue(identifier.externalId() && identifier.unique(), "a unique external id: " + identifier);
        assertEquals(100, identifier.length());
        assertEquals(100000, field("Opportunity.Partner_Center_Audit__c").length());
        SObjectType solution = ORG.type("Microsoft_Solution__c").orElseThrow();
        assertEquals("Microsoft Partner Center Solution", solution.label());
        assertFalse(field("Microsoft_Solution__c.Opportunity__c").updateable(), "master-detail: not reparentable");
        assertEquals(List.of("Microsoft_Solutions__r"), ORG.childrenOf("Opportunity").stream()
                .filter(c -> c.child().equals("Microsoft_Solution__c")).map(c -> c.relationshipName()).toList());
        for (String qualified : pkg.qualifiedFieldNames()) {
            assertTrue(ORG.type(qualified.split("\\.")[0]).flatMap(t -> t.field(qualified.split("\\.")[1]))
                    .isPresent(), qualified + " in the seeded org");
        }
    }

    @Test
    void everyCustomFieldTheFieldMapAndTheAuditNameIsInThePackage() {
        Set<String> used = new TreeSet<>();
        FieldMap.standard().allRows().forEach(r -> used.add(r.salesforce()));
        used.add(TenantMapping.AUDIT);
        Set<String> missing = new TreeSet<>();
        for (String qualified : used) {
            if (qualified.endsWith("__c") && !SalesforcePackage.get().qualifiedFieldNames().contains(qualified)) {
                missing.add(qualified);
            }
        }
        assertEquals(Set.of(), missing, "named by the field map but not in deploy/salesforce");
        for (CollectionRow c : FieldMap.standard().collections()) {
            if (c.salesforce().endsWith("__c")) {
                assertTrue(SalesforcePackage.get().objects().containsKey(c.salesforce()), c.salesforce());
            }
        }
    }

    @Test
    void thePermissionSetGrantsWhatTheServicesReadAndWriteAndNothingMore() throws Exception {
        Document permissions = xml(SOURCE.resolve("permissionsets/Cosell_Sync_Integration.permissionset-meta.xml"));
        assertEquals("Salesforce API Integration", text(permissions.getDocumentElement(), "license"));
        Map<String, Boolean> editable = new HashMap<>();
        NodeList fields = permissions.getElementsByTagName("fieldPermissions");
        for (int i = 0; i < fields.getLength(); i++) {
            Element e = (Element) fields.item(i);
            assertEquals("true", text(e, "readable"), text(e, "field"));
            editable.put(text(e, "field"), Boolean.parseBoolean(text(e, "editable")));
        }
        Map<String, Boolean> needed = new HashMap<>();
        for (FieldRow row : FieldMap.standard().allRows()) {
            if (!row.object().equals("User")) { // users are read through the integration licence's own access
                needed.merge(row.salesforce(), row.direction() != Direction.TO_PARTNER_CENTER, Boolean::logicalOr);
            }
        }
        needed.put(TenantMapping.AUDIT, true);
        READ_BEYOND_THE_MAP.forEach(f -> needed.put(f, false));
        Map<String, Boolean> grantable = new HashMap<>();
        // required fields carry no field-level security (a deploy refuses it); CurrencyIsoCode (multi-currency
        // orgs only) neither
        needed.forEach((f, write) -> {
            if (!f.endsWith(".CurrencyIsoCode") && field(f).nillable()) {
                grantable.put(f, write);
            }
        });
        assertEquals(new TreeSet<>(grantable.keySet()), new TreeSet<>(editable.keySet()),
                "field permissions: exactly the fields co-sell sync uses");
        grantable.forEach((f, write) -> {
            if (write) {
                assertTrue(editable.get(f), f + " is written, so it must be editable");
            }
        });

        Set<String> objects = new HashSet<>();
        NodeList objectPermissions = permissions.getElementsByTagName("objectPermissions");
        for (int i = 0; i < objectPermissions.getLength(); i++) {
            Element e = (Element) objectPermissions.item(i);
            objects.add(text(e, "object"));
            assertEquals("true", text(e, "viewAllRecords"), "View All: Change Data Capture needs it");
            assertEquals("false", text(e, "modifyAllRecords"), text(e, "object"));
        }
        assertEquals(Set.of("Account", "Contact", "Opportunity", "Microsoft_Solution__c"), objects);

        Set<String> userPermissions = new HashSet<>();
        NodeList granted = permissions.getElementsByTagName("userPermissions");
        for (int i = 0; i < granted.getLength(); i++) {
            Element e = (Element) granted.item(i);
            assertEquals("true", text(e, "enabled"), text(e, "name"));
            userPermissions.add(text(e, "name"));
        }
        // preflight reads the Change Data Capture selections (PlatformEventChannelMember needs View Setup)
        assertEquals(Set.of("ViewSetup"), userPermissions);
    }

    @Test
    void changeDataCaptureSelectsTheFiveObjectsIngressHydratesFrom() throws Exception {
        Set<String> selected = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCE.resolve("platformEventChannelMembers"))) {
            for (Path file : files.toList()) {
                Element member = xml(file).getDocumentElement();
                assertEquals("ChangeEvents", text(member, "eventChannel"), file.toString());
                selected.add(text(member, "selectedEntity"));
            }
        }
        // an org has five selected entities unless it buys more: these five, nothing else
        assertEquals(Set.of("AccountChangeEvent", "ContactChangeEvent", "OpportunityChangeEvent",
                "OpportunityContactRoleChangeEvent", "Microsoft_Solution__ChangeEvent"), selected);
    }

    @Test
    void anElementTheReaderDoesNotKnowIsAnErrorNotIgnored() throws IOException {
        Path objects = Files.createTempDirectory("package").resolve("objects");
        Path fields = Files.createDirectories(objects.resolve("Opportunity/fields"));
        Files.writeString(fields.resolve("Odd__c.field-meta.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
                    <fullName>Odd__c</fullName>
                    <label>Odd</label>
                    <type>Text</type>
                    <length>10</length>
                    <encryptionScheme>None</encryptionScheme>
                </CustomField>
                """);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SalesforcePackage.read(objects));
        assertTrue(unknown.getMessage().contains("encryptionScheme"), unknown.getMessage());
        Files.writeString(fields.resolve("Odd__c.field-meta.xml"), Files.readString(fields.resolve(
                "Odd__c.field-meta.xml")).replace("    <encryptionScheme>None</encryptionScheme>\n", "")
                .replace("<type>Text</type>", "<type>Html</type>"));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> SalesforcePackage.read(objects));
        assertTrue(type.getMessage().contains("Html"), type.getMessage());
    }

    private static Field field(String qualified) {
        String[] parts = qualified.split("\\.");
        return ORG.type(parts[0]).flatMap(t -> t.field(parts[1])).orElseThrow(() -> new AssertionError(
                qualified + " is not in the seeded org"));
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static String text(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : list.item(0).getTextContent().trim();
    }
}
