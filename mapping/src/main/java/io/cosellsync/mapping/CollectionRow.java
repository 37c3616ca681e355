package io.cosellsync.mapping;

import java.util.List;

/**
 * A list on the referral that is a set of records in Salesforce: customer contacts (Contacts linked by contact
 * roles), solutions ({@code Microsoft_Solution__c} children), the partner's sellers (Users linked as team members).
 *
 * @param partnerCenter the list's path in the referral
 * @param salesforce    the object holding the item's values
 * @param link          the junction object tying that record to the opportunity, if any
 * @param match         the field by which an item finds its existing record
 * @param fields        rows relative to one item
 */
public record CollectionRow(String partnerCenter, String salesforce, String link, String match,
        Direction direction, Owner owner, List<FieldRow> fields) {

    public CollectionRow {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
