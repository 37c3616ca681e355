package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;

/** One JSON Patch operation; Partner Center accepts {@code add} and {@code replace} only. */
public record PatchOperation(@JsonProperty(required = true) String op, @JsonProperty(required = true) String path,
        Object value) {

    public PatchOperation {
        Require.present(op, "op");
        Require.present(path, "path");
        if (!op.equals("add") && !op.equals("replace")) {
            throw new IllegalArgumentException("op '" + op + "' is not supported by Partner Center (add, replace)");
        }
        value = Require.scalar(value);
    }
}
