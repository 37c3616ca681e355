package io.cosellsync.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked-in two-way field map ({@code field-map.yaml} beside this class): data, read and checked once.
 */
public record FieldMap(List<FieldRow> fields, List<CollectionRow> collections) {

    static final String RESOURCE = "field-map.yaml";
    private static final Pattern PATH = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*(\\.[a-zA-Z][a-zA-Z0-9]*)*");
    private static final Pattern SALESFORCE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*\\.[A-Za-z][A-Za-z0-9_]*");
    private static volatile FieldMap standard;

    public FieldMap {
        fields = fields == null ? List.of() : List.copyOf(fields);
        collections = collections == null ? List.of() : List.copyOf(collections);
    }

    /** The map shipped with co-sell sync. */
    public static FieldMap standard() {
        if (standard == null) {
            try (InputStream in = FieldMap.class.getResourceAsStream(RESOURCE)) {
                standard = read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return standard;
    }

    static FieldMap read(InputStream yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        FieldMap map = mapper.readValue(yaml, FieldMap.class);
        List<String> problems = map.problems();
        if (!problems.isEmpty()) {
            throw new MappingConfigException("the field map is invalid", problems);
        }
        return map;
    }

    /** Every Salesforce field (default API name) the map writes or reads, top-level rows and collection items. */
    public List<FieldRow> allRows() {
        List<FieldRow> all = new ArrayList<>(fields);
        collections.forEach(c -> all.addAll(c.fields()));
        return all;
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (FieldRow row : fields) {
            check(row, null, problems);
            if (row.salesforce() != null && !seen.add(row.salesforce())) {
                problems.add(row.label() + ": " + row.salesforce() + " is mapped twice");
            }
        }
        for (CollectionRow c : collections) {
            String where = "collection " + c.partnerCenter();
            if (c.partnerCenter() == null || !PATH.matcher(c.partnerCenter()).matches()) {
                problems.add(where + ": partnerCenter must be a dotted path");
            }
            if (c.salesforce() == null || c.match() == null || c.direction() == null || c.owner() == null) {
                problems.add(where + ": salesforce, match, direction and owner are required");
            }
            if (c.fields().isEmpty()) {
                problems.add(where + ": no fields");
            }
            for (FieldRow row : c.fields()) {
                check(row, c, problems);
                if (row.salesforce() != null && c.salesforce() != null && !row.object().equals(c.salesforce())) {
                    problems.add(where + ": " + row.salesforce() + " is not a field of " + c.salesforce());
                }
            }
            if (c.match() != null && c.fields().stream().noneMatch(r -> c.match().equals(r.field()))) {
                problems.add(where + ": the match field " + c.match() + " is not mapped");
            }
        }
        return problems;
    }

    private static void check(FieldRow row, CollectionRow in, List<String> problems) {
        String label = (in == null ? "" : in.partnerCenter() + "[]: ") + row.label();
        if (row.salesforce() == null || !SALESFORCE.matcher(row.salesforce()).matches()) {
            problems.add(label + ": salesforce must be Object.Field");
            return;
        }
        if (row.transform() == null) {
            problems.add(label + ": transform is required");
            return;
        }
        if (in == null && (row.direction() == null || row.owner() == null)) {
            problems.add(label + ": direction and owner are required");
        }
        if (in != null && (row.direction() != null || row.owner() != null)) {
            problems.add(label + ": direction and owner belong to the collection, not its fields");
        }
        if (row.partnerCenter().size() != row.transform().paths()) {
            problems.add(label + ": transform " + row.transform().name().toLowerCase().replace('_', '-') + " reads "
                    + row.transform().paths() + " Partner Center path(s), not " + row.partnerCenter().size());
        }
        row.partnerCenter().stream().filter(p -> !PATH.matcher(p).matches())
                .forEach(p -> problems.add(label + ": '" + p + "' is not a dotted path"));
        if ((row.transform() == Transform.PICKLIST) != (row.picklist() != null)) {
            problems.add(label + ": picklist names the picklist map of transform picklist, and only of it");
        }
    }
}
