package io.cosellsync.simulator.salesforce.data;

import java.util.List;

/** One error about one record, as Salesforce reports it: a status code, a message and the fields concerned. */
public record RecordError(String statusCode, String message, List<String> fields) {

    public RecordError {
        fields = List.copyOf(fields);
    }

    public RecordError(String statusCode, String message) {
        this(statusCode, message, List.of());
    }
}
