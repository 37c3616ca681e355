package io.cosellsync.events.salesforce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Salesforce opportunity with everything a referral is built from, as ingress hydrated it after change
 * events. Key: {@code opportunity.id}. The envelope's source version covers the children too (a contact-role
 * change is a new version although the opportunity's {@code SystemModstamp} did not move).
 *
 * @param opportunity      the Opportunity's queried fields (standard and the tenant's co-sell custom fields)
 * @param account          the customer account, or null when the opportunity has none
 * @param lastModifiedById who made the change, so our own writes can be recognised
 * @param ourFields        the Opportunity fields whose last change was the salesforce-writer's own write, by the
 *                         change events (our client id, the integration user, who is also the record's last
 *                         modifier): their values came from Partner Center, so they are never later than Partner
 *                         Center's (v1 addition; empty when unknown, as after a poll)
 * @param fieldClocks      Opportunity field → when its last change was committed, to the millisecond, by the change
 *                         events hydrated into this snapshot; only where those events hold every save the snapshot
 *                         shows (one snapshot can join several saves, and {@code systemModstamp} is the last one's);
 *                         a field not listed dates from {@code systemModstamp} (v1 addition; empty when unknown)
 */
public record OpportunitySnapshot(
        @JsonProperty(required = true) SObjectRecord opportunity,
        @JsonProperty(required = true) Instant systemModstamp,
        String lastModifiedById,
        SObjectRecord account,
        List<ContactRole> contactRoles,
        List<SolutionLink> solutions,
        List<TeamMember> team,
        List<Note> notes,
        List<String> ourFields,
        Map<String, Instant> fieldClocks) {

    public OpportunitySnapshot {
        Require.present(opportunity, "opportunity");
        Require.present(systemModstamp, "systemModstamp");
        contactRoles = Require.list(contactRoles);
        solutions = Require.list(solutions);
        team = Require.list(team);
        notes = Require.list(notes);
        ourFields = Require.list(ourFields);
        fieldClocks = fieldClocks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fieldClocks));
    }

    /** A snapshot with no field clock known. */
    public OpportunitySnapshot(SObjectRecord opportunity, Instant systemModstamp, String lastModifiedById,
            SObjectRecord account, List<ContactRole> contactRoles, List<SolutionLink> solutions, List<TeamMember> team,
            List<Note> notes, List<String> ourFields) {
        this(opportunity, systemModstamp, lastModifiedById, account, contactRoles, solutions, team, notes, ourFields,
                Map.of());
    }

    /** A snapshot with no field known to be last changed by us. */
    public OpportunitySnapshot(SObjectRecord opportunity, Instant systemModstamp, String lastModifiedById,
            SObjectRecord account, List<ContactRole> contactRoles, List<SolutionLink> solutions, List<TeamMember> team,
            List<Note> notes) {
        this(opportunity, systemModstamp, lastModifiedById, account, contactRoles, solutions, team, notes, List.of());
    }

    public String opportunityId() {
        return opportunity.id();
    }
}
