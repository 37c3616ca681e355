package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.data.OrgData;
import io.cosellsync.simulator.salesforce.data.SalesforceIds;
import io.cosellsync.simulator.salesforce.soql.SoqlEngine;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /query} and {@code /queryAll} with paging (salesforce-api.md §2.4): a result larger than one batch is
 * kept behind a query locator, and {@code nextRecordsUrl} ({@code …/query/01g…-2000}) names the rows consumed so
 * far. Batches are 2 000 rows unless {@code Sforce-Query-Options: batchSize=n} asks for 200 to 2 000 (values outside
 * are brought into range; the header is advisory). A locator lasts two days and a user keeps at most ten open: the
 * oldest is closed first, and a closed, expired or foreign locator (another org or user, or an org reset since) is
 * 400 INVALID_QUERY_LOCATOR.
 */
@ApplicationScoped
public class Queries {

    static final int DEFAULT_BATCH = 2000;
    static final int MIN_BATCH = 200;
    static final Duration CURSOR_LIFETIME = Duration.ofDays(2);
    static final int CURSORS_PER_USER = 10;
    private static final Pattern BATCH_SIZE = Pattern.compile("(?i)(?:^|[,;\\s])batchSize\\s*=\\s*(\\d+)");
    private static final Pattern LOCATOR = Pattern.compile("(01g[0-9A-Za-z]{15})-(\\d+)");

    /** A result being paged; {@code data} ties it to the org as it was (a reset org forgets its locators). */
    private record Cursor(OrgData data, String tenant, String userId, boolean all, List<Map<String, Object>> records,
            int batchSize, Instant expires) {
    }

    private final SimulatorClock clock;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final AtomicLong sequence = new AtomicLong(1_000);

    public Queries(SimulatorClock clock) {
        this.clock = clock;
    }

    /** Runs a query and answers its first batch. */
    public ApiResponse query(ApiCall call, String soql, boolean all, String queryOptions) {
        SoqlEngine.Result result = SoqlEngine.run(call.org(), soql, all, clock.now(), call.version());
        int batch = batchSize(queryOptions, DEFAULT_BATCH);
        if (result.records().size() <= batch) {
            return ApiResponse.of(200, page(result.totalSize(), result.records(), true, null));
        }
        String locator = open(new Cursor(call.org().data(), call.org().tenant(), call.userId(), all,
                result.records(), batch, clock.now().plus(CURSOR_LIFETIME)));
        return ApiResponse.of(200, page(result.totalSize(), result.records().subList(0, batch), false,
                nextUrl(call, all, locator, batch)));
    }

    /** The batch after {@code locator-N}: rows from N on. */
    public ApiResponse more(ApiCall call, String locatorAndOffset, String queryOptions) {
        Matcher m = LOCATOR.matcher(locatorAndOffset);
        Cursor cursor;
        synchronized (cursors) {
            cursor = m.matches() ? cursors.get(m.group(1)) : null;
        }
        if (cursor == null || cursor.data() != call.org().data()
                || !cursor.userId().equals(call.userId()) || clock.now().isAfter(cursor.expires())) {
            throw invalidLocator();
        }
        int from;
        try {
            from = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw invalidLocator();
        }
        int size = cursor.records().size();
        if (from > size) {
            throw invalidLocator();
        }
        int batch = batchSize(queryOptions, cursor.batchSize());
        int to = Math.min(size, from + batch);
        boolean done = to == size;
        if (done) {
            synchronized (cursors) {
                cursors.remove(m.group(1));
            }
        }
        return ApiResponse.of(200, page(size, cursor.records().subList(from, to), done,
                done ? null : nextUrl(call, cursor.all(), m.group(1), to)));
    }

    private String open(Cursor cursor) {
        String locator = SalesforceIds.of("01g", sequence.incrementAndGet());
        synchronized (cursors) {
            cursors.values().removeIf(c -> clock.now().isAfter(c.expires()));
            long open = cursors.values().stream().filter(c -> c.tenant().equals(cursor.tenant())
                    && c.userId().equals(cursor.userId())).count();
            for (Iterator<Cursor> it = cursors.values().iterator(); open >= CURSORS_PER_USER && it.hasNext(); ) {
                Cursor c = it.next();
                if (c.tenant().equals(cursor.tenant()) && c.userId().equals(cursor.userId())) {
                    it.remove();
                    open--;
                }
            }
            cursors.put(locator, cursor);
        }
        return locator;
    }

    private static Map<String, Object> page(int totalSize, List<Map<String, Object>> records, boolean done,
            String nextRecordsUrl) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalSize", totalSize);
        out.put("done", done);
        if (nextRecordsUrl != null) {
            out.put("nextRecordsUrl", nextRecordsUrl);
        }
        out.put("records", records);
        return out;
    }

    private static String nextUrl(ApiCall call, boolean all, String locator, int consumed) {
        return "/services/data/" + call.version() + (all ? "/queryAll/" : "/query/") + locator + "-" + consumed;
    }

    static int batchSize(String queryOptions, int otherwise) {
        if (queryOptions == null) {
            return otherwise;
        }
        Matcher m = BATCH_SIZE.matcher(queryOptions);
        if (!m.find()) {
            return otherwise;
        }
        long requested = Long.parseLong(m.group(1).length() > 9 ? "999999999" : m.group(1));
        return (int) Math.max(MIN_BATCH, Math.min(DEFAULT_BATCH, requested));
    }

    private static RestError invalidLocator() {
        return new RestError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
}
