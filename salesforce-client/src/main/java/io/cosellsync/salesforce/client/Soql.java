package io.cosellsync.salesforce.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Building SOQL safely: string literals, {@code IN} lists, record ids, and splitting values into query-sized chunks. */
public final class Soql {

    private static final Pattern RECORD_ID = Pattern.compile("[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?");

    private Soql() {
    }

    /** A SOQL string literal: quoted, with backslash, quote and control characters escaped. */
    public static String literal(Object value) {
        String s = Objects.toString(value, "");
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** {@code ('a','b')}: the distinct values as literals, for {@code WHERE field IN …}. */
    public static String in(Collection<?> values) {
        return values.stream().map(Soql::literal).distinct().collect(Collectors.joining(",", "(", ")"));
    }

    /** {@code ('id1','id2')}; refuses anything that is not a Salesforce record id (nothing else reaches SOQL). */
    public static String idList(Collection<String> ids) {
        for (String id : ids) {
            if (!isRecordId(id)) {
                throw new IllegalArgumentException("not a Salesforce record id: " + id);
            }
        }
        return in(ids);
    }

    /** Whether a string is a Salesforce record id (15 or 18 characters). */
    public static boolean isRecordId(String id) {
        return id != null && RECORD_ID.matcher(id).matches();
    }

    /** The items in chunks of at most {@code size}, in order. */
    public static <T> List<List<T>> chunks(Collection<T> items, int size) {
        List<T> all = List.copyOf(items);
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return chunks;
    }
}
