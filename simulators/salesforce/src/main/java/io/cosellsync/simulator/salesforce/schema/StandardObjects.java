package io.cosellsync.simulator.salesforce.schema;

import static io.cosellsync.simulator.salesforce.schema.FieldType.BOOLEAN;
import static io.cosellsync.simulator.salesforce.schema.FieldType.CURRENCY;
import static io.cosellsync.simulator.salesforce.schema.FieldType.DATE;
import static io.cosellsync.simulator.salesforce.schema.FieldType.DATETIME;
import static io.cosellsync.simulator.salesforce.schema.FieldType.EMAIL;
import static io.cosellsync.simulator.salesforce.schema.FieldType.ID;
import static io.cosellsync.simulator.salesforce.schema.FieldType.INT;
import static io.cosellsync.simulator.salesforce.schema.FieldType.PERCENT;
import static io.cosellsync.simulator.salesforce.schema.FieldType.PHONE;
import static io.cosellsync.simulator.salesforce.schema.FieldType.TEXTAREA;
import static io.cosellsync.simulator.salesforce.schema.FieldType.URL;

import io.cosellsync.simulator.salesforce.org.OrgSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects co-sell sync touches, with the lengths, types and rules of the Summer '26 field reference
 * (salesforce-api.md §4) and the co-sell fields of product-behaviour.md §2.
 */
final class StandardObjects {

    /** Child relationship names by "Child.Field" (what describe and SOQL sub-queries call the list of children). */
    private static final Map<String, String> CHILD_RELATIONSHIPS = Map.of(
            "Contact.AccountId", "Contacts",
            "Opportunity.AccountId", "Opportunities",
            "OpportunityContactRole.OpportunityId", "OpportunityContactRoles",
            "OpportunityContactRole.ContactId", "OpportunityContactRoles",
            "OpportunityTeamMember.OpportunityId", "OpportunityTeamMembers",
            "Note.ParentId", "Notes");

    private StandardObjects() {
    }

    static String childRelationshipName(String parent, String child, String field) {
        return SalesforcePackage.get().relationships().stream()
                .filter(r -> r.child().equals(child) && r.field().equals(field) && r.parent().equals(parent))
                .map(SalesforcePackage.Relationship::childRelationshipName).findFirst()
                .orElse(CHILD_RELATIONSHIPS.get(child + "." + field));
    }

    /** Children deleted with their parent (and restored with it) besides master-detail ones. */
    static boolean cascades(String child, String field) {
        return switch (child + "." + field) {
            case "Contact.AccountId", "Opportunity.AccountId", "OpportunityContactRole.OpportunityId",
                    "OpportunityContactRole.ContactId", "OpportunityTeamMember.OpportunityId", "Note.ParentId" -> true;
            default -> false;
        };
    }

    static List<Stage> stages(OrgSettings settings) {
        return List.of(
                new Stage("Prospecting", 10, "Pipeline", false, false),
                new Stage(settings.pendingStage(), 10, "Pipeline", false, false),
                new Stage("Qualification", 10, "Pipeline", false, false),
                new Stage(settings.activeStage(), 20, "Pipeline", false, false),
                new Stage("Needs Analysis", 20, "Pipeline", false, false),
                new Stage("Value Proposition", 50, "Pipeline", false, false),
                new Stage("Id. Decision Makers", 60, "Pipeline", false, false),
                new Stage("Perception Analysis", 70, "Pipeline", false, false),
                new Stage("Proposal/Price Quote", 75, "Pipeline", false, false),
                new Stage("Negotiation/Review", 90, "Commit", false, false),
                new Stage("Closed Won", 100, "Closed", true, true),
                new Stage("Closed Lost", 0, "Omitted", true, false));
    }

    static List<SObjectType> types(OrgSettings settings, List<Stage> stages) {
        List<SObjectType> types = new ArrayList<>(List.of(user(), account(settings), contact(settings),
                opportunity(settings, stages), contactRole(), teamMember(), note()));
        // the package's custom objects, with key prefixes a0X, a0Y, … in name order
        char prefix = 'X';
        for (SalesforcePackage.CustomObject object : SalesforcePackage.get().objects().values()) {
            types.add(custom(object, "a0" + prefix++, settings));
        }
        return types;
    }

    private static List<Field> system(String label, boolean withOwner) {
        List<Field> fields = new ArrayList<>();
        fields.add(Field.of("Id", label + " ID", ID).withLength(18).readOnly().required());
        fields.add(Field.of("IsDeleted", "Deleted", BOOLEAN).readOnly().required());
        if (withOwner) {
            fields.add(Field.reference("OwnerId", "Owner ID", "Owner", "User").defaulted().required());
        }
        fields.add(Field.of("CreatedDate", "Created Date", DATETIME).readOnly().required());
        fields.add(Field.reference("CreatedById", "Created By ID", "CreatedBy", "User").readOnly().required());
        fields.add(Field.of("LastModifiedDate", "Last Modified Date", DATETIME).readOnly().required());
        fields.add(Field.reference("LastModifiedById", "Last Modified By ID", "LastModifiedBy", "User").readOnly()
                .required());
        fields.add(Field.of("SystemModstamp", "System Modstamp", DATETIME).readOnly().required());
        return fields;
    }

    private static void currency(List<Field> fields, OrgSettings settings, String label) {
        if (settings.multiCurrency()) {
            fields.add(Field.picklist("CurrencyIsoCode", label + " Currency", settings.currencies(), true)
                    .withLength(3).defaulted().required());
        }
    }

    private static void address(List<Field> fields, String prefix, String label) {
        fields.add(Field.of(prefix + "Street", label + " Street", TEXTAREA).withLength(255));
        fields.add(Field.text(prefix + "City", label + " City", 40));
        fields.add(Field.text(prefix + "State", label + " State/Province", 80));
        fields.add(Field.text(prefix + "PostalCode", label + " Zip/Postal Code", 20));
        fields.add(Field.text(prefix + "Country", label + " Country", 80));
    }

    private static SObjectType user() {
        List<Field> fields = system("User", false);
        fields.add(Field.text("Username", "Username", 80).required());
        fields.add(Field.text("FirstName", "First Name", 40));
        fields.add(Field.text("LastName", "Last Name", 80).required());
        fields.add(Field.text("Name", "Full Name", 121).readOnly());
        fields.add(Field.of("Email", "Email", EMAIL).withLength(128).required());
        fields.add(Field.text("Title", "Title", 80));
        fields.add(Field.of("IsActive", "Active", BOOLEAN));
        return new SObjectType("User", "User", "Users", "005", false, false, fields.stream()
                .map(f -> f.createable() ? f.readOnly() : f).toList());
    }

    private static SObjectType account(OrgSettings settings) {
        List<Field> fields = system("Account", true);
        fields.add(Field.reference("MasterRecordId", "Master Record ID", "MasterRecord", "Account").readOnly());
        fields.add(Field.text("Name", "Account Name", 255).required());
        fields.add(Field.picklist("Type", "Account Type", List.of("Prospect", "Customer - Direct",
                "Customer - Channel", "Channel Partner / Reseller", "Installation Partner", "Technology Partner",
                "Other"), false));
        fields.add(Field.picklist("Industry", "Industry", List.of("Agriculture", "Banking", "Education",
                "Energy", "Finance", "Government", "Healthcare", "Manufacturing", "Retail", "Technology",
                "Other"), false));
        address(fields, "Billing", "Billing");
        address(fields, "Shipping", "Shipping");
        fields.add(Field.of("Phone", "Account Phone", PHONE));
        fields.add(Field.of("Website", "Website", URL));
        fields.add(Field.number("NumberOfEmployees", "Employees", INT, 8, 0));
        fields.add(Field.of("Description", "Account Description", TEXTAREA).withLength(32000));
        currency(fields, settings, "Account");
        return new SObjectType("Account", "Account", "Accounts", "001", true, true, fields);
    }

    private static SObjectType contact(OrgSettings settings) {
        List<Field> fields = system("Contact", true);
        fields.add(Field.reference("MasterRecordId", "Master Record ID", "MasterRecord", "Contact").readOnly());
        fields.add(Field.reference("AccountId", "Account ID", "Account", "Account"));
        fields.add(Field.picklist("Salutation", "Salutation", List.of("Mr.", "Ms.", "Mrs.", "Dr.", "Prof."),
                false).withLength(40));
        fields.add(Field.text("FirstName", "First Name", 40));
        fields.add(Field.text("LastName", "Last Name", 80).required());
        fields.add(Field.text("Name", "Full Name", 121).readOnly());
        fields.add(Field.text("Title", "Title", 128));
        fields.add(Field.of("Email", "Email", EMAIL));
        fields.add(Field.of("Phone", "Business Phone", PHONE));
        fields.add(Field.of("MobilePhone", "Mobile Phone", PHONE));
        address(fields, "Mailing", "Mailing");
        fields.add(Field.of("Description", "Contact Description", TEXTAREA).withLength(32000));
        currency(fields, settings, "Contact");
        return new SObjectType("Contact", "Contact", "Contacts", "003", true, true, fields);
    }

    private static SObjectType opportunity(OrgSettings settings, List<Stage> stages) {
        List<Field> fields = system("Opportunity", true);
        fields.add(Field.reference("AccountId", "Account ID", "Account", "Account"));
        fields.add(Field.of("IsPrivate", "Private", BOOLEAN));
        fields.add(Field.text("Name", "Name", 120).required());
        fields.add(Field.of("Description", "Description", TEXTAREA).withLength(32000));
        fields.add(Field.picklist("StageName", "Stage", stages.stream().map(Stage::name).toList(), true)
                .required());
        fields.add(Field.number("Amount", "Amount", CURRENCY, 18, 2));
        fields.add(Field.number("Probability", "Probability (%)", PERCENT, 3, 0).defaulted());
        fields.add(Field.number("ExpectedRevenue", "Expected Amount", CURRENCY, 18, 2).calculatedField());
        fields.add(Field.of("CloseDate", "Close Date", DATE).required());
        fields.add(Field.picklist("Type", "Opportunity Type", List.of("Existing Customer - Upgrade",
                "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"), false));
        fields.add(Field.text("NextStep", "Next Step", 255));
        fields.add(Field.picklist("LeadSource", "Lead Source", List.of("Web", "Phone Inquiry", "Partner Referral",
                "Purchased List", "Other"), false));
        fields.add(Field.of("IsClosed", "Closed", BOOLEAN).readOnly().required());
        fields.add(Field.of("IsWon", "Won", BOOLEAN).readOnly().required());
        fields.add(Field.picklist("ForecastCategoryName", "Forecast Category", List.of("Omitted", "Pipeline",
                "BestCase", "Commit", "Closed"), true).defaulted());
        fields.add(Field.reference("ContactId", "Contact ID", "Contact", "Contact").createOnly());
        currency(fields, settings, "Opportunity");
        // co-sell sync's fields, as its Salesforce package deploys them (deploy/salesforce)
        fields.addAll(SalesforcePackage.get().fieldsOf("Opportunity"));
        // a partner's own field, not the package's: a multi-select picklist for the field map and SOQL's INCLUDES
        fields.add(Field.multiPicklist("Microsoft_Products__c", "Microsoft Products", List.of("Azure",
                "Dynamics365Business", "Dynamics365Enterprise", "Microsoft365", "PowerBI", "SQL", "Teams",
                "Windows")));
        return new SObjectType("Opportunity", "Opportunity", "Opportunities", "006", true, true, fields);
    }

    private static SObjectType contactRole() {
        List<Field> fields = system("Contact Role", false);
        fields.add(Field.reference("OpportunityId", "Opportunity ID", "Opportunity", "Opportunity").required()
                .createOnly());
        fields.add(Field.reference("ContactId", "Contact ID", "Contact", "Contact").required());
        fields.add(Field.picklist("Role", "Role", List.of("Business User", "Decision Maker", "Economic Buyer",
                "Economic Decision Maker", "Evaluator", "Executive Sponsor", "Influencer", "Technical Buyer",
                "Other"), false).withLength(40));
        fields.add(Field.of("IsPrimary", "Primary", BOOLEAN));
        return new SObjectType("OpportunityContactRole", "Opportunity Contact Role", "Opportunity Contact Role",
                "00K", true, true, fields);
    }

    private static SObjectType teamMember() {
        List<Field> fields = system("Opportunity Team Member", false);
        fields.add(Field.reference("OpportunityId", "Opportunity ID", "Opportunity", "Opportunity").required()
                .createOnly());
        fields.add(Field.reference("UserId", "User ID", "User", "User").required().createOnly());
        fields.add(Field.text("Name", "Name", 121).readOnly());
        fields.add(Field.text("Title", "Title", 80).readOnly());
        fields.add(Field.of("PhotoUrl", "Photo", URL).readOnly());
        fields.add(Field.picklist("TeamMemberRole", "Team Role", List.of("Account Manager", "Channel Manager",
                "Executive Sponsor", "Lead Qualifier", "Pre-Sales Consultant", "Sales Manager", "Sales Rep",
                "Other"), false).withLength(40));
        fields.add(Field.picklist("OpportunityAccessLevel", "Opportunity Access", List.of("Read", "Edit", "All"),
                true).withLength(40).defaulted().required());
        return new SObjectType("OpportunityTeamMember", "Opportunity Team Member", "Opportunity Team Members",
                "00q", true, false, fields);
    }

    private static SObjectType note() {
        List<Field> fields = system("Note", true);
        fields.add(Field.reference("ParentId", "Parent ID", "Parent", "Account", "Contact", "Opportunity",
                "Microsoft_Solution__c").required().createOnly());
        fields.add(Field.text("Title", "Title", 80).required());
        fields.add(Field.of("IsPrivate", "Private", BOOLEAN));
        fields.add(Field.of("Body", "Body", TEXTAREA).withLength(32000));
        return new SObjectType("Note", "Note", "Notes", "002", true, true, fields);
    }

    private static SObjectType custom(SalesforcePackage.CustomObject object, String keyPrefix, OrgSettings settings) {
        List<Field> fields = system("Record", false);
        Field name = Field.text("Name", object.nameFieldLabel(), 80);
        fields.add(object.autoNumberName() ? name.readOnly() : name.required());
        fields.addAll(SalesforcePackage.get().fieldsOf(object.name()));
        currency(fields, settings, object.label());
        return new SObjectType(object.name(), object.label(), object.labelPlural(), keyPrefix, true, true, fields);
    }
}
