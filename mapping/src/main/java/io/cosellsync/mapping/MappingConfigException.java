package io.cosellsync.mapping;

import java.util.List;

/** A field map or tenant mapping file that cannot be used; every problem names the key at fault. */
public class MappingConfigException extends RuntimeException {

    private final List<String> problems;

    public MappingConfigException(String summary, List<String> problems) {
        super(summary + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
