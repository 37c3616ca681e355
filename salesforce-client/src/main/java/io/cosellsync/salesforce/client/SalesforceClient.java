package io.cosellsync.salesforce.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.cosellsync.support.http.CallPolicy;
import io.cosellsync.support.http.OutboundHttp;
import io.cosellsync.support.http.RetryAfter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The Salesforce REST calls the services make: SOQL queries and sObject Collections (create, update, upsert by an
 * external id, delete), each at most 200 records of one type and one API call. Errors are classified once, here:
 * 401 {@code INVALID_SESSION_ID} renews the session and sends the request once more; IO failures, timeouts, 5xx,
 * 429 and 403 {@code REQUEST_LIMIT_EXCEEDED} are retried under the services' {@link CallPolicy} (exponential
 * backoff with jitter, at least {@code Retry-After}, a circuit breaker per tenant) — a create only after 429 or
 * REQUEST_LIMIT_EXCEEDED, never after no answer or a 5xx, which may have applied it — then surface as
 * {@link SalesforceUnavailable}; other whole-call errors are
 * {@link SalesforceRejected}. Per-record errors come back in the {@link SaveResult}s. Every call carries
 * {@code Sforce-Call-Options: client=<callClientId>} and is counted by tenant, operation and object
 * ({@code cosell_salesforce_calls_total}). Each service makes one from its own settings and sessions.
 */
public class SalesforceClient {

    /**
     * How calls are made: what each service's Salesforce configuration extends (a {@code @ConfigMapping} inherits
     * these defaults; a service overrides {@link #callClientId()}).
     */
    public interface Settings {

        /** REST API version used for every call. */
        @WithDefault("62.0")
        String apiVersion();

        /** Sent as {@code Sforce-Call-Options: client=<id>}, so change events name us as their origin. */
        @WithDefault("cosell-sync")
        String callClientId();

        /** Timeout of one call. */
        @WithDefault("30s")
        Duration timeout();

        /** Attempts of a call that fails in a retryable way (IO, 5xx, REQUEST_LIMIT_EXCEEDED). */
        @WithDefault("6")
        int attempts();

        /** First wait between attempts; doubled each time (with jitter) up to {@link #maxBackoff()}. */
        @WithDefault("500ms")
        Duration firstBackoff();

        @WithDefault("30s")
        Duration maxBackoff();
    }

    public static final int COLLECTION_LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Settings config;
    private final SalesforceSessions sessions;
    private final MeterRegistry registry;
    private final OutboundHttp http;
    private final CallPolicy policy;

    public SalesforceClient(Settings config, SalesforceSessions sessions, MeterRegistry registry, OutboundHttp http) {
        this.config = config;
        this.sessions = sessions;
        this.registry = registry;
        this.http = http;
        this.policy = new CallPolicy("salesforce", CallPolicy.Settings.of(config.attempts(), config.firstBackoff(),
                config.maxBackoff()), new Failures(), registry);
    }

    private static final class Expired extends RuntimeException {
        Expired() {
            super("session refused", null, false, false);
        }
    }

    /** @param repeatable whether sending it again after no answer is safe (everything but a create) */
    private record Call(String method, String path, JsonNode body, String operation, String object,
            boolean repeatable) {

        Call(String method, String path, JsonNode body, String operation, String object) {
            this(method, path, body, operation, object, !"POST".equals(method));
        }
    }

    /**
     * An update of one record made only if nobody modified it after {@code unmodifiedSince} (its
     * {@code LastModifiedDate} as read; Salesforce compares whole seconds).
     */
    public record ConditionalUpdate(String id, Map<String, Object> fields, Instant unmodifiedSince) {
    }

    /** The error code of a {@link ConditionalUpdate} refused because the record was modified after its date (412). */
    public static final String MODIFIED_SINCE = "MODIFIED_SINCE_READ";
    /** Subrequests in one composite call. */
    public static final int COMPOSITE_LIMIT = 25;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** Every row of a SOQL query, following {@code nextRecordsUrl}. */
    public Uni<List<JsonNode>> query(TenantId tenant, String object, String soql) {
        String path = "/services/data/v" + config.apiVersion() + "/query?q=" + URLEncoder.encode(soql,
                StandardCharsets.UTF_8);
        List<JsonNode> rows = new ArrayList<>();
        return page(tenant, object, path, rows).replaceWith(rows);
    }

    /** Every row of a Tooling API query (setup objects, e.g. {@code PlatformEventChannelMember}). */
    public Uni<List<JsonNode>> toolingQuery(TenantId tenant, String object, String soql) {
        String path = "/services/data/v" + config.apiVersion() + "/tooling/query?q=" + URLEncoder.encode(soql,
                StandardCharsets.UTF_8);
        List<JsonNode> rows = new ArrayList<>();
        return page(tenant, object, path, rows).replaceWith(rows);
    }

    private Uni<Void> page(TenantId tenant, String object, String path, List<JsonNode> rows) {
        return call(tenant, new Call("GET", path, null, "query", object)).chain(answer -> {
            answer.path("records").forEach(rows::add);
            JsonNode next = answer.path("nextRecordsUrl");
            return answer.path("done").asBoolean(true) || !next.isTextual() ? Uni.createFrom().voidItem()
                    : page(tenant, object, next.asText(), rows);
        });
    }

    /** The API names of an object's fields in this org (describe): what an org lacks must not be queried. */
    public Uni<Set<String>> fieldNames(TenantId tenant, String object) {
        return describe(tenant, object).map(answer -> {
            Set<String> names = new LinkedHashSet<>();
            answer.path("fields").forEach(f -> names.add(f.path("name").asText()));
            return names;
        });
    }

    /** An object's describe as this org and the integration user see it: fields, types, lengths, permissions. */
    public Uni<JsonNode> describe(TenantId tenant, String object) {
        return call(tenant, new Call("GET", "/services/data/v" + config.apiVersion() + "/sobjects/" + object
                + "/describe", null, "describe", object));
    }

    /**
     * The ids of records of one type deleted in a window (the replication API's {@code getDeleted}; Salesforce
     * rounds the window down to whole minutes and looks back at most 15 days).
     */
    public Uni<List<String>> deleted(TenantId tenant, String object, Instant start, Instant end) {
        String path = "/services/data/v" + config.apiVersion() + "/sobjects/" + object + "/deleted/?start="
                + URLEncoder.encode(start.truncatedTo(ChronoUnit.SECONDS).toString(), StandardCharsets.UTF_8)
                + "&end=" + URLEncoder.encode(end.truncatedTo(ChronoUnit.SECONDS).toString(), StandardCharsets.UTF_8);
        return call(tenant, new Call("GET", path, null, "deleted", object)).map(answer -> {
            List<String> ids = new ArrayList<>();
            answer.path("deletedRecords").forEach(r -> ids.add(r.path("id").asText()));
            return ids;
        });
    }

    /** Creates up to 200 records of one type; results in input order. */
    public Uni<List<SaveResult>> create(TenantId tenant, String object, List<? extends Map<String, Object>> records) {
        return collection(tenant, "POST", "/composite/sobjects", "create", object, records, null);
    }

    /** Updates up to 200 records of one type, each with its {@code Id}. */
    public Uni<List<SaveResult>> update(TenantId tenant, String object, List<? extends Map<String, Object>> records) {
        return collection(tenant, "PATCH", "/composite/sobjects", "update", object, records, null);
    }

    /** Upserts up to 200 records of one type by an external id field. */
    public Uni<List<SaveResult>> upsert(TenantId tenant, String object, String externalIdField,
            List<? extends Map<String, Object>> records) {
        return collection(tenant, "PATCH", "/composite/sobjects/" + object + "/" + externalIdField, "upsert",
                object, records, externalIdField);
    }

    /**
     * Updates records each on its own condition ({@code If-Unmodified-Since}), {@value #COMPOSITE_LIMIT} per
     * composite call (one API call each), none depending on another; results in input order. A record modified after
     * its date fails with {@link #MODIFIED_SINCE} and is not written. Sending a call again is safe: an update that
     * was applied although its answer was lost is refused the second time (the record was modified), never doubled.
     */
    public Uni<List<SaveResult>> updateUnlessModified(TenantId tenant, String object, List<ConditionalUpdate> updates) {
        List<SaveResult> results = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < updates.size(); from += COMPOSITE_LIMIT) {
            List<ConditionalUpdate> chunk = updates.subList(from, Math.min(updates.size(), from + COMPOSITE_LIMIT));
            chain = chain.chain(() -> composite(tenant, object, chunk).invoke(results::addAll)).replaceWithVoid();
        }
        return chain.map(ignored -> results);
    }

    private Uni<List<SaveResult>> composite(TenantId tenant, String object, List<ConditionalUpdate> chunk) {
        String version = "/services/data/v" + config.apiVersion();
        ObjectNode body = JSON.createObjectNode().put("allOrNone", false);
        ArrayNode subrequests = body.putArray("compositeRequest");
        for (int i = 0; i < chunk.size(); i++) {
            ConditionalUpdate u = chunk.get(i);
            ObjectNode sub = subrequests.addObject().put("method", "PATCH")
                    .put("url", version + "/sobjects/" + object + "/" + URLEncoder.encode(u.id(),
                            StandardCharsets.UTF_8)).put("referenceId", "r" + i);
            sub.set("body", JSON.valueToTree(u.fields()));
            sub.putObject("httpHeaders").put("If-Unmodified-Since",
                    HTTP_DATE.format(u.unmodifiedSince().atOffset(ZoneOffset.UTC)));
        }
        return call(tenant, new Call("POST", version + "/composite", body, "update", object, true)).map(answer -> {
            List<SaveResult> results = new ArrayList<>();
            JsonNode responses = answer.path("compositeResponse");
            for (int i = 0; i < chunk.size(); i++) {
                results.add(subresult(chunk.get(i).id(), responses.path(i)));
            }
            return results;
        });
    }

    private static SaveResult subresult(String id, JsonNode response) {
        int status = response.path("httpStatusCode").asInt(0);
        if (status >= 200 && status < 300) {
            return new SaveResult(id, true, false, List.of());
        }
        if (status == 412) {
            return new SaveResult(id, false, false, List.of(new SaveResult.RecordError(MODIFIED_SINCE,
                    "the record was modified after it was read", List.of())));
        }
        List<SaveResult.RecordError> errors = new ArrayList<>();
        for (JsonNode e : response.path("body")) {
            List<String> fields = new ArrayList<>();
            e.path("fields").forEach(f -> fields.add(f.asText()));
            errors.add(new SaveResult.RecordError(e.path("errorCode").asText("HTTP_" + status),
                    e.path("message").asText(null), fields));
        }
        if (errors.isEmpty()) {
            errors.add(new SaveResult.RecordError("HTTP_" + status, "no answer for this subrequest", List.of()));
        }
        return new SaveResult(id, false, false, errors);
    }

    /** Deletes up to 200 records by id. */
    public Uni<List<SaveResult>> delete(TenantId tenant, String object, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        check(ids.size());
        String path = "/services/data/v" + config.apiVersion() + "/composite/sobjects?allOrNone=false&ids="
                + String.join(",", ids);
        return call(tenant, new Call("DELETE", path, null, "delete", object)).map(SalesforceClient::results);
    }

    private Uni<List<SaveResult>> collection(TenantId tenant, String method, String resource, String operation,
            String object, List<? extends Map<String, Object>> records, String externalIdField) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        check(records.size());
        ObjectNode body = JSON.createObjectNode().put("allOrNone", false);
        ArrayNode array = body.putArray("records");
        for (Map<String, Object> record : records) {
            ObjectNode node = JSON.valueToTree(record);
            node.putObject("attributes").put("type", object);
            array.add(node);
        }
        return call(tenant, new Call(method, "/services/data/v" + config.apiVersion() + resource, body, operation,
                object)).map(SalesforceClient::results);
    }

    private static void check(int size) {
        if (size > COLLECTION_LIMIT) {
            throw new IllegalArgumentException(size + " records in one collections call; at most " + COLLECTION_LIMIT);
        }
    }

    private static List<SaveResult> results(JsonNode answer) {
        List<SaveResult> results = new ArrayList<>();
        for (JsonNode r : answer) {
            List<SaveResult.RecordError> errors = new ArrayList<>();
            for (JsonNode e : r.path("errors")) {
                List<String> fields = new ArrayList<>();
                e.path("fields").forEach(f -> fields.add(f.asText()));
                errors.add(new SaveResult.RecordError(e.path("statusCode").asText(null), e.path("message")
                        .asText(null), fields));
            }
            results.add(new SaveResult(r.path("id").asText(null), r.path("success").asBoolean(false),
                    r.path("created").asBoolean(false), errors));
        }
        return results;
    }

    private Uni<JsonNode> call(TenantId tenant, Call call) {
        AtomicBoolean renewed = new AtomicBoolean();
        // a create (POST) is not sent again after a failure that may have applied it; everything else may be
        return policy.call(tenant.value(), call.repeatable(), () -> attempt(tenant, call, renewed))
                .onFailure(CircuitBreakerOpenException.class).transform(e -> new SalesforceUnavailable(
                        "Salesforce of tenant " + tenant.value() + " keeps failing (circuit open)", null));
    }

    /**
     * One attempt. A refused session (401) is renewed and the request sent once more, once per call: a freshly
     * issued session refused too is a {@link SalesforceRejected}.
     */
    private Uni<JsonNode> attempt(TenantId tenant, Call call, AtomicBoolean renewed) {
        return sessions.session(tenant.value()).chain(session -> send(tenant, session, call)
                .onFailure(Expired.class).recoverWithUni(e -> {
                    sessions.refused(tenant.value(), session);
                    if (renewed.getAndSet(true)) {
                        return Uni.createFrom().failure(new SalesforceRejected(401, "INVALID_SESSION_ID",
                                "Salesforce refused a freshly issued session of tenant " + tenant.value()));
                    }
                    return attempt(tenant, call, renewed);
                }));
    }

    /** Salesforce's failures, classified once: what the circuit breaker counts and what is tried again. */
    private static final class Failures implements CallPolicy.Failures {

        @Override
        public boolean againstApi(Throwable failure) {
            return failure instanceof SalesforceUnavailable;
        }

        @Override
        public boolean retryable(Throwable failure, boolean repeatable) {
            return failure instanceof SalesforceUnavailable u && (repeatable || u.notApplied());
        }

        @Override
        public Duration retryAfter(Throwable failure) {
            return failure instanceof SalesforceUnavailable u ? u.retryAfter().orElse(null) : null;
        }
    }

    private Uni<JsonNode> send(TenantId tenant, SalesforceSessions.Session session, Call call) {
        URI uri = URI.create(session.instanceUrl().toString().replaceAll("/+$", "") + call.path());
        Map<String, String> headers = Map.of("Authorization", "Bearer " + session.accessToken(),
                "Accept", "application/json", "Content-Type", "application/json",
                "Sforce-Call-Options", "client=" + config.callClientId());
        registry.counter("cosell.salesforce.calls", "tenant", tenant.value(), "operation", call.operation(),
                "object", call.object()).increment();
        return Uni.createFrom().deferred(() -> http.send(call.method(), uri, headers,
                call.body() == null ? null : call.body().toString(), config.timeout()))
                .onFailure().transform(e -> new SalesforceUnavailable(
                        "Salesforce did not answer: " + e.getClass().getSimpleName(), null))
                .map(response -> answer(call, response));
    }

    private static JsonNode answer(Call call, OutboundHttp.Answer response) {
        int status = response.status();
        JsonNode body = parse(response.body());
        String code = errorCode(body);
        if (status == 401) {
            throw new Expired();
        }
        boolean limited = status == 429 || status == 403 && "REQUEST_LIMIT_EXCEEDED".equals(code);
        if (limited || status >= 500) {
            throw new SalesforceUnavailable("Salesforce answered " + status + (code == null ? "" : " " + code),
                    RetryAfter.of(response), limited);
        }
        if (status >= 300) {
            throw new SalesforceRejected(status, code == null ? "HTTP_" + status : code, "Salesforce refused "
                    + call.operation() + " " + call.object() + " (" + status + "): " + abbreviate(response.body()));
        }
        return body;
    }

    private static String errorCode(JsonNode body) {
        JsonNode first = body.isArray() && body.size() > 0 ? body.get(0) : null;
        return first != null && first.has("errorCode") ? first.get("errorCode").asText() : null;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }
}
