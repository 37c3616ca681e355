package io.cosellsync.simulator.salesforce.data;

import java.util.List;

/**
 * A write that failed for one record. {@code requestLevel} errors (an unknown field, a value of the wrong JSON
 * type) fail a whole sObject Collections request as Salesforce's deserializer does, instead of one record.
 */
public class SaveException extends RuntimeException {

    private final transient List<RecordError> errors;
    private final int status;
    private final boolean requestLevel;

    public SaveException(int status, boolean requestLevel, List<RecordError> errors) {
        super(errors.get(0).message(), null, false, false);
        this.status = status;
        this.requestLevel = requestLevel;
        this.errors = List.copyOf(errors);
    }

    public SaveException(RecordError error) {
        this(400, false, List.of(error));
    }

    public static SaveException requestLevel(RecordError error) {
        return new SaveException(400, true, List.of(error));
    }

    public static SaveException notFound(RecordError error) {
        return new SaveException(404, false, List.of(error));
    }

    public List<RecordError> errors() {
        return errors;
    }

    public int status() {
        return status;
    }

    public boolean requestLevel() {
        return requestLevel;
    }
}
