package io.cosellsync.simulator.salesforce.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.salesforce.data.Dml;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sObject row operations, independent of HTTP, so that resource methods and composite subrequests share them.
 * Failures are thrown ({@link SaveException}, {@link Dml.MultipleMatches}) and become error arrays at the edge.
 */
@ApplicationScoped
public class RestApi {

    private static final Pattern URL = Pattern.compile("/services/data/(v\\d+\\.0)/([^?]*)(?:\\?(.*))?");

    private final Collections collections;
    private final Queries queries;

    public RestApi(Collections collections, Queries queries) {
        this.collections = collections;
        this.queries = queries;
    }

    /** The object a URL names: 404 NOT_FOUND when the org has none by that name. */
    static SObjectType type(ApiCall call, String objectName) {
        return call.org().schema().type(objectName).orElseThrow(() -> SaveException.notFound(new RecordError(
                "NOT_FOUND", "The requested resource does not exist")));
    }

    public ApiResponse create(ApiCall call, String objectName, ObjectNode body) {
        SObjectType type = type(call, objectName);
        String id = call.write(txn -> call.org().dml().create(txn, type, body));
        return new ApiResponse(201, saveResult(id), Map.of("Location",
                "/services/data/" + call.version() + "/sobjects/" + type.name() + "/" + id));
    }

    public ApiResponse get(ApiCall call, String objectName, String id, String fields) {
        SObjectType type = type(call, objectName);
        List<Field> selected = Records.fields(type, fields);
        Row row = Dml.rowOf(call.org().data(), type, id);
        if (row.deleted()) {
            throw SaveException.notFound(new RecordError("ENTITY_IS_DELETED", "entity is deleted"));
        }
        return ApiResponse.of(200, Records.render(row, call.version(), selected));
    }

    public ApiResponse update(ApiCall call, String objectName, String id, ObjectNode body) {
        return update(call, objectName, id, body, null);
    }

    /**
     * An update, with {@code If-Unmodified-Since} when given: 412 when the record's {@code LastModifiedDate} (whole
     * seconds) is after that time, checked in the write's own transaction; a malformed date is a 400.
     */
    public ApiResponse update(ApiCall call, String objectName, String id, ObjectNode body,
            String ifUnmodifiedSince) {
        SObjectType type = type(call, objectName);
        Instant since = ifUnmodifiedSince == null ? null : httpDate(ifUnmodifiedSince);
        call.write(txn -> {
            if (since != null) {
                Row row = Dml.rowOf(txn.data(), type, id);
                if (row.get("LastModifiedDate") instanceof Instant modified && modified.isAfter(since)) {
                    throw new SaveException(412, false, List.of(new RecordError("PRECONDITION_FAILED",
                            "The record was modified after the If-Unmodified-Since date")));
                }
            }
            call.org().dml().update(txn, type, id, body);
            return null;
        });
        return ApiResponse.noContent();
    }

    private static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw SaveException.requestLevel(new RecordError("INVALID_HEADER_VALUE",
                    "If-Unmodified-Since is not an HTTP date: " + value));
        }
    }

    public ApiResponse delete(ApiCall call, String objectName, String id) {
        SObjectType type = type(call, objectName);
        Dml.rowOf(call.org().data(), type, id);
        call.write(txn -> {
            call.org().dml().delete(txn, id);
            return null;
        });
        return ApiResponse.noContent();
    }

    /** The one live row whose external id has this value (NOT_FOUND for none, 300 for several). */
    Row byExternalId(ApiCall call, SObjectType type, String fieldName, String value) {
        List<Row> rows = Dml.matching(call.org().data(), type, Dml.externalIdField(type, fieldName), value);
        if (rows.isEmpty()) {
            throw SaveException.notFound(new RecordError("NOT_FOUND", "The requested resource does not exist"));
        }
        if (rows.size() > 1) {
            throw new Dml.MultipleMatches(type.name(), rows.stream().map(Row::id).toList());
        }
        return rows.get(0);
    }

    public ApiResponse getByExternalId(ApiCall call, String objectName, String field, String value,
            String fields) {
        SObjectType type = type(call, objectName);
        List<Field> selected = Records.fields(type, fields);
        return ApiResponse.of(200, Records.render(byExternalId(call, type, field, value), call.version(),
                selected));
    }

    public ApiResponse deleteByExternalId(ApiCall call, String objectName, String field, String value) {
        SObjectType type = type(call, objectName);
        Row row = byExternalId(call, type, field, value);
        call.write(txn -> {
            call.org().dml().delete(txn, row.id());
            return null;
        });
        return ApiResponse.noContent();
    }

    /** Upsert: 201 created, 200 {@code created:false} (v46.0+), 300 several matches, 404 for update-only misses. */
    public ApiResponse upsert(ApiCall call, String objectName, String field, String value, ObjectNode body,
            boolean updateOnly) {
        SObjectType type = type(call, objectName);
        Dml.Upserted result = call.write(txn -> call.org().dml().upsert(txn, type, field, value, body,
                updateOnly));
        Map<String, Object> out = saveResult(result.id());
        out.put("created", result.created());
        return result.created()
                ? new ApiResponse(201, out, Map.of("Location", "/services/data/" + call.version() + "/sobjects/"
                        + type.name() + "/" + result.id()))
                : ApiResponse.of(200, out);
    }

    static Map<String, Object> saveResult(String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("success", true);
        out.put("errors", List.of());
        return out;
    }

    /**
     * A composite subrequest, routed as the REST API would route its URL: sObject rows (by id or external id),
     * sObject Collections and queries. Anything else is 404 NOT_FOUND, as an unknown resource would be.
     */
    public ApiResponse dispatch(ApiCall call, String method, String url, JsonNode body) {
        return dispatch(call, method, url, body, Map.of());
    }

    /** As {@link #dispatch(ApiCall, String, String, JsonNode)}, with the subrequest's {@code httpHeaders}. */
    public ApiResponse dispatch(ApiCall call, String method, String url, JsonNode body, Map<String, String> headers) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw SaveException.notFound(new RecordError("NOT_FOUND", "The requested resource does not exist"));
        }
        Map<String, String> query = query(m.group(3));
        String[] path = m.group(2).replaceAll("/+$", "").split("/");
        for (int i = 0; i < path.length; i++) {
            path[i] = URLDecoder.decode(path[i], StandardCharsets.UTF_8);
        }
        ObjectNode object = body == null || body.isNull() ? null : Records.object(body);
        String route = method.toUpperCase() + " " + path[0] + "/" + path.length;
        return switch (route) {
            case "POST sobjects/2" -> create(call, path[1], require(object));
            case "GET sobjects/3" -> get(call, path[1], path[2], query.get("fields"));
            case "PATCH sobjects/3" -> update(call, path[1], path[2], require(object),
                    header(headers, "If-Unmodified-Since"));
            case "DELETE sobjects/3" -> delete(call, path[1], path[2]);
            case "GET sobjects/4" -> getByExternalId(call, path[1], path[2], path[3], query.get("fields"));
            case "PATCH sobjects/4" -> upsert(call, path[1], path[2], path[3], require(object),
                    Boolean.parseBoolean(query.get("updateOnly")));
            case "DELETE sobjects/4" -> deleteByExternalId(call, path[1], path[2], path[3]);
            case "GET query/1" -> queries.query(call, query.get("q"), false, null);
            case "GET queryAll/1" -> queries.query(call, query.get("q"), true, null);
            case "GET query/2", "GET queryAll/2" -> queries.more(call, path[1], null);
            case "POST composite/2" -> path[1].equals("sobjects") ? collections.create(call, require(object))
                    : notFound();
            case "PATCH composite/2" -> path[1].equals("sobjects") ? collections.update(call, require(object))
                    : notFound();
            case "DELETE composite/2" -> path[1].equals("sobjects")
                    ? collections.delete(call, query.get("ids"), Boolean.parseBoolean(query.get("allOrNone")))
                    : notFound();
            case "PATCH composite/4" -> path[1].equals("sobjects")
                    ? collections.upsert(call, path[2], path[3], require(object)) : notFound();
            default -> notFound();
        };
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static ApiResponse notFound() {
        throw SaveException.notFound(new RecordError("NOT_FOUND", "The requested resource does not exist"));
    }

    private static ObjectNode require(ObjectNode body) {
        if (body == null) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR",
                    "No content to map due to end-of-input"));
        }
        return body;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
