package io.cosellsync.events;

/**
 * A record that does not satisfy the contract. Never retried: consumers send it to their dead-letter
 * topic with {@link #getMessage()} as the reason, which always names the offending field.
 */
public class MalformedEventException extends RuntimeException {

    private final String field;

    public MalformedEventException(String field, String problem) {
        this(field, problem, null);
    }

    public MalformedEventException(String field, String problem, Throwable cause) {
        super("malformed event: field '" + field + "': " + problem, cause);
        this.field = field;
    }

    /** JSON path (e.g. {@code details.dealValue}) or header name (e.g. {@code ce_tenant}) of the problem. */
    public String field() {
        return field;
    }
}
