package io.cosellsync.simulator.salesforce.cdc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The value of a diff field (salesforce-api.md §3.3): {@code "--- \n+++ <sha-256 of the new value>\n"} and a unified
 * diff of the lines, one hunk from the first changed line to the last. A subscriber applies it to the value it has,
 * or, when it cannot, reads the record again.
 */
final class TextDiff {

    /** Long text updates bigger than this are sent as diffs. */
    static final int THRESHOLD = 1000;

    private TextDiff() {
    }

    static String of(String before, String after) {
        List<String> old = lines(before);
        List<String> now = lines(after);
        int head = 0;
        while (head < old.size() && head < now.size() && old.get(head).equals(now.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < old.size() - head && tail < now.size() - head
                && old.get(old.size() - 1 - tail).equals(now.get(now.size() - 1 - tail))) {
            tail++;
        }
        StringBuilder diff = new StringBuilder("--- \n+++ ").append(sha256(after)).append('\n');
        int removed = old.size() - head - tail;
        int added = now.size() - head - tail;
        diff.append("@@ -").append(range(head, removed)).append(" +").append(range(head, added)).append(" @@\n");
        old.subList(head, head + removed).forEach(l -> diff.append('-').append(l).append('\n'));
        now.subList(head, head + added).forEach(l -> diff.append('+').append(l).append('\n'));
        return diff.toString();
    }

    private static String range(int head, int count) {
        return (count == 0 ? head : head + 1) + "," + count;
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.asList(text.split("\n", -1));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
