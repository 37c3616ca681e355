package io.cosellsync.simulator.salesforce.schema;

/** Salesforce field types as describe names them, with the SOAP type describe also reports. */
public enum FieldType {
    ID("id", "tns:ID"),
    STRING("string", "xsd:string"),
    TEXTAREA("textarea", "xsd:string"),
    PICKLIST("picklist", "xsd:string"),
    MULTIPICKLIST("multipicklist", "xsd:string"),
    BOOLEAN("boolean", "xsd:boolean"),
    DATE("date", "xsd:date"),
    DATETIME("datetime", "xsd:dateTime"),
    CURRENCY("currency", "xsd:double"),
    PERCENT("percent", "xsd:double"),
    DOUBLE("double", "xsd:double"),
    INT("int", "xsd:int"),
    REFERENCE("reference", "tns:ID"),
    URL("url", "xsd:string"),
    EMAIL("email", "xsd:string"),
    PHONE("phone", "xsd:string");

    private final String describeName;
    private final String soapType;

    FieldType(String describeName, String soapType) {
        this.describeName = describeName;
        this.soapType = soapType;
    }

    public String describeName() {
        return describeName;
    }

    public String soapType() {
        return soapType;
    }

    public boolean isText() {
        return switch (this) {
            case STRING, TEXTAREA, PICKLIST, MULTIPICKLIST, URL, EMAIL, PHONE -> true;
            default -> false;
        };
    }

    public boolean isNumber() {
        return this == CURRENCY || this == PERCENT || this == DOUBLE || this == INT;
    }
}
