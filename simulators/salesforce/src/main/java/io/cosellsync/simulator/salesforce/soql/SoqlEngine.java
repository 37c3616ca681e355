package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.org.OrgState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Runs SOQL against one org (salesforce-api.md §2.4): parse with the ANTLR grammar, check against the org's
 * schema, then select and render under the org's lock. Date literals count days in UTC from {@code now}.
 */
public final class SoqlEngine {

    /** All rows of a query, rendered: {@code totalSize} is the row count (or the COUNT() result). */
    public record Result(int totalSize, List<Map<String, Object>> records) {
    }

    private SoqlEngine() {
    }

    /**
     * Runs a query; {@code includeDeleted} is {@code /queryAll}. Errors are {@link RestError}s with Salesforce's
     * codes (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, INVALID_QUERY_FILTER_OPERATOR, …).
     */
    /**
     * A WHERE expression over one object's fields (a channel member's filter), checked against the schema now and
     * tested on rows later. Errors are {@link RestError}s as for queries.
     */
    public static java.util.function.Predicate<Row> filter(OrgState org, String object, String expression,
            Instant now) {
        String soql = "SELECT Id FROM " + object + " WHERE " + expression;
        CompiledQuery query = new QueryCompiler(soql, org.schema(), LocalDate.ofInstant(now, ZoneOffset.UTC))
                .compile(SoqlSyntax.parse(soql));
        return row -> query.where == null || query.where.test(row, new CompiledQuery.Scan(org.data(), true, "62.0"));
    }

    public static Result run(OrgState org, String soql, boolean includeDeleted, Instant now, String version) {
        if (soql == null || soql.isBlank()) {
            throw new RestError(400, "MALFORMED_QUERY", "A query string has to be specified");
        }
        SoqlParser.QueryContext parsed = SoqlSyntax.parse(soql);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        CompiledQuery query = new QueryCompiler(soql, org.schema(), today).compile(parsed);
        return org.data().read(() -> {
            CompiledQuery.Scan scan = new CompiledQuery.Scan(org.data(), includeDeleted, version);
            List<Row> rows = query.select(scan, r -> true);
            if (query.countOnly) {
                return new Result(rows.size(), List.of());
            }
            List<Map<String, Object>> records = query.render(rows, scan);
            return new Result(records.size(), records);
        });
    }
}
