package io.cosellsync.mapping;

import io.cosellsync.events.salesforce.ContactRole;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.events.salesforce.SolutionLink;
import io.cosellsync.events.salesforce.TeamMember;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An opportunity snapshot as the field map sees Salesforce ({@link SalesforceImage}, by this org's API names): the
 * opportunity's and account's fields, the contacts of its contact roles, its solutions and its team's users.
 */
public final class SalesforceImages {

    private SalesforceImages() {
    }

    public static SalesforceImage of(OpportunitySnapshot snapshot, TenantMapping tenant) {
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        records.put("Opportunity", new LinkedHashMap<>(snapshot.opportunity().fields()));
        records.put("Account", snapshot.account() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(snapshot.account().fields()));
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>();
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (ContactRole role : snapshot.contactRoles()) {
            // a contact named by two roles is one customer contact
            if (contacts.stream().noneMatch(c -> role.contact().id().equals(c.get("Id")))) {
                Map<String, Object> contact = new LinkedHashMap<>(role.contact().fields());
                contact.put("Id", role.contact().id());
                contacts.add(contact);
            }
        }
        collections.put("Contact", contacts);
        List<Map<String, Object>> solutions = new ArrayList<>();
        for (SolutionLink link : snapshot.solutions()) {
            Map<String, Object> solution = new LinkedHashMap<>();
            solution.put(tenant.fieldName("Microsoft_Solution__c.Solution_Id__c"), link.solutionId());
            solution.put(tenant.fieldName("Microsoft_Solution__c.Solution_Name__c"), link.solutionName());
            solutions.add(solution);
        }
        collections.put("Microsoft_Solution__c", solutions);
        List<Map<String, Object>> users = new ArrayList<>();
        for (TeamMember member : snapshot.team()) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put(tenant.fieldName("User.Email"), member.email());
            user.put(tenant.fieldName("User.FirstName"), member.firstName());
            user.put(tenant.fieldName("User.LastName"), member.lastName());
            user.put(tenant.fieldName("User.Title"), member.title());
            users.add(user);
        }
        collections.put("User", users);
        return new SalesforceImage(records, collections);
    }
}
