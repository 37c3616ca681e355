package io.cosellsync.mapping;

/** A record that cannot be mapped as it is (a value the other side cannot take); the message is for a seller. */
public class MappingException extends RuntimeException {

    public MappingException(String message) {
        super(message);
    }
}
