package io.cosellsync.simulator.salesforce.data;

/**
 * The data rules of a real org that the simulator enforces or maintains on every write, whichever API made it.
 * Each has a contract test (the coverage test fails for one without). Codes and messages follow
 * salesforce-api.md §2.2, §2.10 and §4.
 */
public enum DataRule {
    /** {@code Id} in a create body: INVALID_FIELD "The Id field should not be specified in the sobject data." */
    ID_IN_CREATE_BODY,
    /** A field (or relationship) the object does not have: INVALID_FIELD "No such column …". */
    UNKNOWN_FIELD,
    /** A JSON value of the wrong type for the field (text for a number, a malformed date): JSON_PARSER_ERROR. */
    WRONG_VALUE_TYPE,
    /** A field no API may write (system, formula, derived): INVALID_FIELD_FOR_INSERT_UPDATE. */
    READ_ONLY_FIELD,
    /** A field writable on create only, sent in an update (e.g. a contact role's OpportunityId). */
    CREATE_ONLY_FIELD,
    /** Missing or nulled required fields: REQUIRED_FIELD_MISSING "Required fields are missing: [A, B]". */
    REQUIRED_FIELD,
    /** Text longer than the field: STRING_TOO_LONG "…: data value too large: … (max length=n)". */
    STRING_TOO_LONG,
    /** A number with more integer digits than the field holds: NUMBER_OUTSIDE_VALID_RANGE; extra decimals round. */
    NUMBER_OUT_OF_RANGE,
    /** A value outside a restricted picklist (StageName, co-sell help): INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST. */
    RESTRICTED_PICKLIST,
    /** CurrencyIsoCode must be an active currency of a multi-currency org; it defaults to the corporate one. */
    CURRENCY_ISO_CODE,
    /** Email fields hold an address: INVALID_EMAIL_ADDRESS. */
    EMAIL_FORMAT,
    /** Unique external ids, compared case-insensitively: DUPLICATE_VALUE naming the holder. */
    UNIQUE_EXTERNAL_ID,
    /** Lookups hold an existing id of the right object: MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION, INVALID_CROSS_REFERENCE_KEY, ENTITY_IS_DELETED. */
    REFERENCE_CHECKED,
    /** A parent named by one of its external ids in the body ({@code "Account": {"Ext__c": "…"}}). */
    PARENT_BY_EXTERNAL_ID,
    /** Writing a recycled row: ENTITY_IS_DELETED. */
    DELETED_ROW,
    /** IsClosed, IsWon, ForecastCategoryName, Probability (unless given) and ExpectedRevenue follow StageName. */
    STAGE_DERIVED_FIELDS,
    /** CreatedDate/CreatedById on create; LastModifiedDate, LastModifiedById, SystemModstamp on every write; OwnerId defaults to the caller. */
    SYSTEM_FIELDS,
    /** Contact.Name from first and last name, a team member's Name and Title from its user, solutions auto-numbered. */
    DERIVED_NAMES,
    /** One primary contact role per opportunity; the primary's contact becomes Opportunity.ContactId. */
    ONE_PRIMARY_CONTACT_ROLE,
    /** A second team member for the same (opportunity, user) updates and returns the existing one. */
    TEAM_MEMBER_PAIR,
    /** Deleting a record deletes its dependants (contact roles, team members, solutions, notes); undelete restores the recycled ones. */
    CASCADE_DELETE,
    /** Only recycled rows can be undeleted (UNDELETE_FAILED otherwise); team members are never recycled. */
    UNDELETE,
    /** Merging accounts: the losers are recycled with MasterRecordId set and their children move to the master. */
    MERGE_ACCOUNTS,
    /** The admin's validation rules: a save breaking an active one fails with FIELD_CUSTOM_VALIDATION_EXCEPTION. */
    VALIDATION_RULES,
    /** Users belong to the org, not to the API: writes answer INSUFFICIENT_ACCESS_OR_READONLY. */
    USER_READ_ONLY
}
