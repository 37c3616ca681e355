package io.cosellsync.salesforce.client;

/**
 * Salesforce refused a whole call for a reason sending it again will not change (a malformed request, an unknown
 * field, a permission): what it carried is dead-lettered (or reported) with Salesforce's code and message.
 */
public class SalesforceRejected extends RuntimeException {

    private final int status;
    private final String errorCode;

    public SalesforceRejected(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
