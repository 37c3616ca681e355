package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.data.Change;
import io.cosellsync.simulator.salesforce.data.FieldValues;
import io.cosellsync.simulator.salesforce.data.OrgData;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replication resources (salesforce-api.md §2.5), the fallback when change events were missed:
 * {@code /sobjects/{Object}/updated/?start=&end=} lists rows whose {@code SystemModstamp} falls in the window (start
 * at most 30 days back) and {@code /deleted/} lists deletions (start at most 15 days back). Both round the window
 * down to whole minutes and report {@code latestDateCovered} (the end, or now if sooner), to be the next start.
 * {@code earliestDateAvailable} is 15 days back, or when this org's state began if that is later: a client whose
 * end is earlier must resynchronise in full.
 */
@ApplicationScoped
public class Replication {

    static final Duration UPDATED_WINDOW = Duration.ofDays(30);
    static final Duration DELETED_WINDOW = Duration.ofDays(15);
    static final int MAX_IDS = 600_000;

    private final SimulatorClock clock;

    public Replication(SimulatorClock clock) {
        this.clock = clock;
    }

    public Map<String, Object> updated(ApiCall call, String objectName, String start, String end) {
        SObjectType type = RestApi.type(call, objectName);
        Window window = window(start, end, UPDATED_WINDOW);
        OrgData data = call.org().data();
        List<String> ids = data.read(() -> data.rows(type).stream()
                .filter(r -> !r.deleted() && window.contains((Instant) r.get("SystemModstamp")))
                .sorted(Comparator.comparing((Row r) -> (Instant) r.get("SystemModstamp")))
                .map(Row::id).toList());
        capped(ids.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ids", ids);
        out.put("latestDateCovered", FieldValues.DATETIME.format(window.latestCovered()));
        return out;
    }

    public Map<String, Object> deleted(ApiCall call, String objectName, String start, String end) {
        SObjectType type = RestApi.type(call, objectName);
        Window window = window(start, end, DELETED_WINDOW);
        OrgData data = call.org().data();
        Map<String, Instant> deletedAt = new LinkedHashMap<>();
        for (Change change : data.changes(0)) {
            if (!change.entityName().equals(type.name())) {
                continue;
            }
            if (change.changeType().equals("DELETE")) {
                deletedAt.put(change.recordId(), change.commitTimestamp());
            } else if (change.changeType().equals("UNDELETE")) {
                deletedAt.remove(change.recordId());
            }
        }
        List<Map<String, Object>> records = new ArrayList<>();
        deletedAt.forEach((id, at) -> {
            if (window.contains(at) && data.row(id).map(Row::deleted).orElse(true)) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("deletedDate", FieldValues.DATETIME.format(at));
                record.put("id", id);
                records.add(record);
            }
        });
        capped(records.size());
        Instant earliest = ceilMinute(max(data.since(), clock.now().minus(DELETED_WINDOW)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deletedRecords", records);
        out.put("earliestDateAvailable", FieldValues.DATETIME.format(earliest));
        out.put("latestDateCovered", FieldValues.DATETIME.format(window.latestCovered()));
        return out;
    }

    private record Window(Instant start, Instant end, Instant latestCovered) {
        boolean contains(Instant at) {
            return at != null && !at.isBefore(start) && at.isBefore(end);
        }
    }

    private Window window(String start, String end, Duration limit) {
        Instant from = truncate(parse("start", start));
        Instant to = truncate(parse("end", end));
        Instant now = clock.now();
        if (to.isBefore(from)) {
            throw invalid("end date (" + end + ") must not be before start date (" + start + ")");
        }
        if (from.isBefore(now.minus(limit).truncatedTo(ChronoUnit.MINUTES))) {
            throw invalid("start date must not be more than " + limit.toDays() + " days ago: " + start);
        }
        Instant covered = to.isAfter(now) ? truncate(now) : to;
        return new Window(from, covered, covered);
    }

    private static Instant parse(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new RestError(400, "MISSING_ARGUMENT", "Missing required parameter: " + name);
        }
        try {
            // a '+' offset sent unencoded in a query string arrives as a space
            return FieldValues.parseDateTime(value.trim().replace(' ', '+'));
        } catch (DateTimeException e) {
            throw invalid(name + " is not an ISO 8601 date-time with an offset: " + value);
        }
    }

    private static void capped(int count) {
        if (count > MAX_IDS) {
            throw new RestError(400, "EXCEEDED_ID_LIMIT", "The result would exceed " + MAX_IDS
                    + " ids; use a smaller window");
        }
    }

    private static RestError invalid(String message) {
        return new RestError(400, "INVALID_REPLICATION_DATE", message);
    }

    private static Instant truncate(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES);
    }

    private static Instant ceilMinute(Instant at) {
        Instant floor = truncate(at);
        return floor.equals(at) ? at : floor.plus(Duration.ofMinutes(1));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
