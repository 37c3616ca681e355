package io.cosellsync.ingress.salesforce.hydration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cosellsync.events.salesforce.ContactRole;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.events.salesforce.SObjectRecord;
import io.cosellsync.events.salesforce.SolutionLink;
import io.cosellsync.events.salesforce.TeamMember;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.salesforce.client.SalesforceTime;
import io.cosellsync.salesforce.client.Soql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One SOQL query that reads whole opportunities — the opportunity's fields, its account, contact roles with their
 * contacts, Microsoft solutions and team members — for up to {@value #IDS_PER_QUERY} ids, and the conversion of its
 * rows into {@link OpportunitySnapshot}s. Which fields are read follows the field map and the tenant's mapping
 * (renamed fields, the country code, deal value and currency fields). Pure: no I/O.
 */
public final class SnapshotQuery {

    /** Ids per {@code WHERE Id IN (…)}: keeps a query's URL short and its rows within one page. */
    public static final int IDS_PER_QUERY = 200;
    /** Opportunity fields every snapshot carries besides the mapped ones. */
    static final List<String> OPPORTUNITY_FIELDS = List.of("Id", "Name", "StageName", "CloseDate", "AccountId",
            "IsClosed", "IsWon", "OwnerId", "LastModifiedById", "SystemModstamp");
    static final List<String> TEAM_FIELDS = List.of("Id", "UserId", "TeamMemberRole", "User.FirstName",
            "User.LastName", "User.Email", "User.Title");
    /** Fields that move on every save, content or not: left out of the version. */
    private static final Set<String> VOLATILE = Set.of("SystemModstamp", "LastModifiedDate", "LastModifiedById");
    private static final ObjectMapper VALUES = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectMapper CANONICAL = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final List<String> opportunityFields;
    private final List<String> accountFields;
    private final List<String> contactFields;
    private final List<String> teamFields;
    private final List<String> missing;
    private final String solutionId;
    private final String solutionName;
    private final String syncField;
    private final String solutionParent;

    public SnapshotQuery(TenantMapping mapping, FieldMap map) {
        this(mapping, map, null);
    }

    /**
     * @param available by object (Opportunity, Account, Contact, User), the fields this org has (describe); fields it
     *                  lacks — {@code CurrencyIsoCode} without multi-currency, a mapped field not deployed — are left
     *                  out of the query (see {@link #missing()}). Null: every field is assumed to exist.
     */
    public SnapshotQuery(TenantMapping mapping, FieldMap map, Map<String, Set<String>> available) {
        Set<String> opportunity = new LinkedHashSet<>(OPPORTUNITY_FIELDS);
        Set<String> account = new LinkedHashSet<>(List.of("Id", "Name"));
        for (FieldRow row : map.fields()) {
            String apiName = mapping.apiName(row.salesforce());
            String object = apiName.substring(0, apiName.indexOf('.'));
            String field = apiName.substring(apiName.indexOf('.') + 1);
            if (object.equals("Opportunity")) {
                opportunity.add(field);
            } else if (object.equals("Account")) {
                account.add(field);
            }
        }
        Set<String> contact = new LinkedHashSet<>(List.of("Id"));
        for (CollectionRow collection : map.collections()) {
            if (collection.salesforce().equals("Contact")) {
                collection.fields().forEach(f -> contact.add(mapping.fieldName(f.salesforce())));
            }
        }
        List<String> missing = new ArrayList<>();
        this.opportunityFields = present("Opportunity", opportunity, available, missing);
        this.accountFields = present("Account", account, available, missing);
        this.contactFields = present("Contact", contact, available, missing);
        this.teamFields = TEAM_FIELDS.stream().filter(f -> !f.startsWith("User.") || available == null
                || !available.containsKey("User") || available.get("User").contains(f.substring(5))).toList();
        TEAM_FIELDS.stream().filter(f -> !teamFields.contains(f)).forEach(missing::add);
        this.missing = List.copyOf(missing);
        this.solutionId = mapping.fieldName("Microsoft_Solution__c.Solution_Id__c");
        this.solutionName = mapping.fieldName("Microsoft_Solution__c.Solution_Name__c");
        this.solutionParent = mapping.fieldName("Microsoft_Solution__c.Opportunity__c");
        this.syncField = mapping.fieldName("Opportunity.Sync_with_Partner_Center__c");
    }

    private static List<String> present(String object, Set<String> wanted, Map<String, Set<String>> available,
            List<String> missing) {
        if (available == null || !available.containsKey(object)) {
            return List.copyOf(wanted);
        }
        List<String> fields = new ArrayList<>();
        for (String field : wanted) {
            if (available.get(object).contains(field)) {
                fields.add(field);
            } else {
                missing.add(object + "." + field);
            }
        }
        return List.copyOf(fields);
    }

    /** The fields the map names that this org lacks ({@code Object.Field}): left out of every snapshot. */
    public List<String> missing() {
        return missing;
    }

    /** The opportunity's opt-in checkbox in this org. */
    public String syncField() {
        return syncField;
    }

    /** The solution's lookup to its opportunity in this org. */
    public String solutionParent() {
        return solutionParent;
    }

    /** The query reading these opportunities whole (at most {@value #IDS_PER_QUERY} ids). */
    public String soql(Collection<String> opportunityIds) {
        if (opportunityIds.isEmpty() || opportunityIds.size() > IDS_PER_QUERY) {
            throw new IllegalArgumentException(opportunityIds.size() + " ids; 1 to " + IDS_PER_QUERY + " per query");
        }
        List<String> select = new ArrayList<>(opportunityFields);
        accountFields.forEach(f -> select.add("Account." + f));
        List<String> roles = new ArrayList<>(List.of("Id", "Role", "IsPrimary", "ContactId"));
        contactFields.stream().filter(f -> !f.equals("Id")).forEach(f -> roles.add("Contact." + f));
        select.add("(SELECT " + String.join(", ", roles) + " FROM OpportunityContactRoles)");
        select.add("(SELECT Id, " + solutionId + ", " + solutionName + " FROM Microsoft_Solutions__r)");
        select.add("(SELECT " + String.join(", ", teamFields) + " FROM OpportunityTeamMembers)");
        return "SELECT " + String.join(", ", select) + " FROM Opportunity WHERE Id IN " + Soql.idList(opportunityIds);
    }

    /** A row of {@link #soql} as a snapshot; children in id order, so equal content makes equal snapshots. */
    public OpportunitySnapshot snapshot(JsonNode row) {
        Map<String, Object> fields = fields(row, opportunityFields);
        String id = row.path("Id").asText();
        JsonNode account = row.path("Account");
        SObjectRecord customer = account.isObject() && account.hasNonNull("Id")
                ? new SObjectRecord(account.get("Id").asText(), fields(account, accountFields)) : null;
        List<ContactRole> roles = new ArrayList<>();
        for (JsonNode r : children(row, "OpportunityContactRoles")) {
            JsonNode contact = r.path("Contact");
            Map<String, Object> contactValues = contact.isObject() ? fields(contact, contactFields) : Map.of();
            contactValues.remove("Id");
            roles.add(new ContactRole(r.path("Id").asText(), text(r, "Role"), r.path("IsPrimary").asBoolean(false),
                    new SObjectRecord(r.path("ContactId").asText(), contactValues)));
        }
        roles.sort(Comparator.comparing(ContactRole::id));
        List<SolutionLink> solutions = new ArrayList<>();
        for (JsonNode s : children(row, "Microsoft_Solutions__r")) {
            // a solution row without its solution id names nothing Partner Center knows: the mapper sees none
            if (text(s, solutionId) != null) {
                solutions.add(new SolutionLink(s.path("Id").asText(), text(s, solutionId), text(s, solutionName)));
            }
        }
        solutions.sort(Comparator.comparing(SolutionLink::id));
        List<TeamMember> team = new ArrayList<>();
        for (JsonNode m : children(row, "OpportunityTeamMembers")) {
            JsonNode user = m.path("User");
            team.add(new TeamMember(m.path("Id").asText(), m.path("UserId").asText(), text(m, "TeamMemberRole"),
                    text(user, "FirstName"), text(user, "LastName"), text(user, "Email"), null,
                    text(user, "Title")));
        }
        team.sort(Comparator.comparing(TeamMember::id));
        return new OpportunitySnapshot(new SObjectRecord(id, fields), SalesforceTime.parse(text(row, "SystemModstamp")),
                text(row, "LastModifiedById"), customer, roles, solutions, team, List.of());
    }

    /**
     * The snapshot's source version: a digest of its content, without what moves on every save (modification
     * stamps), so a save that changed nothing is the same version and a child's change (a contact role, a solution,
     * a team member, even removed) is a new one although the opportunity's {@code SystemModstamp} did not move.
     */
    public static String version(OpportunitySnapshot snapshot) {
        OpportunitySnapshot content = new OpportunitySnapshot(steady(snapshot.opportunity()), Instant.EPOCH, null,
                snapshot.account() == null ? null : steady(snapshot.account()), snapshot.contactRoles(),
                snapshot.solutions(), snapshot.team(), snapshot.notes());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsString(content)
                    .getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot digest a snapshot", e);
        }
    }

    private static SObjectRecord steady(SObjectRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>(record.fields());
        fields.keySet().removeAll(VOLATILE);
        return new SObjectRecord(record.id(), fields);
    }

    private static Map<String, Object> fields(JsonNode row, List<String> names) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : names) {
            JsonNode value = row.get(name);
            values.put(name, value == null || value.isNull() ? null : VALUES.convertValue(value, Object.class));
        }
        return values;
    }

    private static Iterable<JsonNode> children(JsonNode row, String relationship) {
        JsonNode records = row.path(relationship).path("records");
        return records.isArray() ? records : List.of();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
