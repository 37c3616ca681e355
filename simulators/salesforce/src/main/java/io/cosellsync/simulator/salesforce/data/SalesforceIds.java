package io.cosellsync.simulator.salesforce.data;

import java.util.Optional;

/**
 * Salesforce record ids: 15 case-sensitive characters (3 key prefix, 2 instance, 10 counter), or 18 with a
 * 3-character suffix encoding the case of the first 15, which makes the 18-character form case-insensitive.
 */
public final class SalesforceIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceIds() {
    }

    /** The 18-character id for a key prefix and a sequence number (instance "5g", as in the seeded ids). */
    public static String of(String keyPrefix, long sequence) {
        StringBuilder counter = new StringBuilder();
        long n = sequence;
        for (int i = 0; i < 10; i++) {
            counter.append(BASE62.charAt((int) (n % 62)));
            n /= 62;
        }
        return to18(keyPrefix + "5g" + counter.reverse());
    }

    public static String to18(String id15) {
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(SUFFIX.charAt(bits));
        }
        return id15 + suffix;
    }

    /**
     * The canonical 18-character form of a 15- or 18-character id, or empty when it is not a well-formed id. An
     * 18-character id is matched case-insensitively: its suffix restores the case of the first 15 characters.
     */
    public static Optional<String> canonical(String id) {
        if (id == null || !(id.length() == 15 || id.length() == 18) || !id.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return Optional.empty();
        }
        if (id.length() == 15) {
            return Optional.of(to18(id));
        }
        String suffix = id.substring(15).toUpperCase();
        char[] chars = id.substring(0, 15).toCharArray();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = SUFFIX.indexOf(suffix.charAt(chunk));
            if (bits < 0) {
                return Optional.empty();
            }
            for (int i = 0; i < 5; i++) {
                int at = chunk * 5 + i;
                chars[at] = (bits & (1 << i)) != 0 ? Character.toUpperCase(chars[at])
                        : Character.toLowerCase(chars[at]);
            }
        }
        String canonical = to18(new String(chars));
        return canonical.substring(15).equals(suffix) ? Optional.of(canonical) : Optional.empty();
    }

    public static String keyPrefix(String id) {
        return id.substring(0, 3);
    }
}
