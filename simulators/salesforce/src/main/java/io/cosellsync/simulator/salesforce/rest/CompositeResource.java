package io.cosellsync.simulator.salesforce.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.SaveException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /composite} (≤ 25 subrequests, {@code @{ref.path}} references, allOrNone), sObject Collections and
 * sObject Tree (salesforce-api.md §2.6–§2.7). Each call counts once against the API allocation.
 */
@Path("/services/data/{version}/composite")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CompositeResource {

    static final int MAX_SUBREQUESTS = 25;
    static final int MAX_QUERY_OR_COLLECTION = 5;
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)\\.([^}]+)}");
    private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z0-9_]{1,80}");

    private final CurrentCall current;
    private final RestApi api;
    private final Collections collections;
    private final Tree tree;

    public CompositeResource(CurrentCall current, RestApi api, Collections collections, Tree tree) {
        this.current = current;
        this.api = api;
        this.collections = collections;
        this.tree = tree;
    }

    @POST
    public Map<String, Object> composite(String body) {
        ApiCall call = current.get();
        ObjectNode request = Records.object(body);
        JsonNode subrequests = request.get("compositeRequest");
        if (subrequests == null || !subrequests.isArray() || subrequests.isEmpty()) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR",
                    "compositeRequest must be a non-empty array"));
        }
        if (subrequests.size() > MAX_SUBREQUESTS) {
            throw SaveException.requestLevel(new RecordError("LIMIT_EXCEEDED",
                    "Maximum number of subrequests per composite request exceeded: " + MAX_SUBREQUESTS));
        }
        Set<String> referenceIds = new HashSet<>();
        int heavy = 0;
        for (JsonNode sub : subrequests) {
            String ref = sub.path("referenceId").asText("");
            if (!REFERENCE_ID.matcher(ref).matches() || !referenceIds.add(ref)) {
                throw SaveException.requestLevel(new RecordError("INVALID_INPUT", "Each subrequest needs a unique "
                        + "referenceId of letters, digits and underscores: '" + ref + "'"));
            }
            if (sub.path("method").asText("").isEmpty() || sub.path("url").asText("").isEmpty()) {
                throw SaveException.requestLevel(new RecordError("INVALID_INPUT",
                        "Subrequest '" + ref + "' needs a method and a url"));
            }
            String url = sub.path("url").asText();
            if (url.contains("/composite/sobjects") || url.contains("/query")) {
                heavy++;
            }
        }
        if (heavy > MAX_QUERY_OR_COLLECTION) {
            throw SaveException.requestLevel(new RecordError("LIMIT_EXCEEDED", "At most "
                    + MAX_QUERY_OR_COLLECTION + " subrequests may be queries or sObject Collections"));
        }
        boolean allOrNone = request.path("allOrNone").asBoolean(false);
        List<Map<String, Object>> responses = new ArrayList<>();
        if (allOrNone) {
            try {
                call.inOneTransaction(c -> {
                    runAll(c, subrequests, responses, true);
                    if (responses.stream().anyMatch(r -> (int) r.get("httpStatusCode") >= 400)) {
                        throw new RolledBack();
                    }
                    return null;
                });
            } catch (RolledBack rolledBack) {
                halt(responses, subrequests);
            }
        } else {
            runAll(call, subrequests, responses, false);
        }
        return Map.of("compositeResponse", responses);
    }

    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }

    private void runAll(ApiCall call, JsonNode subrequests, List<Map<String, Object>> responses,
            boolean allOrNone) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode sub : subrequests) {
            String ref = sub.get("referenceId").asText();
            ApiResponse response;
            try {
                String url = resolve(sub.get("url").asText(), results, true);
                JsonNode body = sub.has("body") ? resolveNode(sub.get("body"), results) : null;
                Map<String, String> headers = new LinkedHashMap<>();
                sub.path("httpHeaders").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
                response = api.dispatch(call, sub.get("method").asText(), url, body, headers);
                if (allOrNone && response.status() == 200 && response.body() instanceof List<?> list
                        && list.stream().anyMatch(r -> r instanceof Map<?, ?> m && Boolean.FALSE.equals(
                                m.get("success")))) {
                    response = new ApiResponse(400, response.body(), response.headers());
                }
            } catch (UnresolvedReference e) {
                response = ApiResponse.of(400, List.of(ApiResponse.topLevel(new RecordError("PROCESSING_HALTED",
                        e.getMessage()))));
            } catch (RuntimeException e) {
                response = ApiResponse.error(e, call.version());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("body", response.body());
            out.put("httpHeaders", response.headers());
            out.put("httpStatusCode", response.status());
            out.put("referenceId", ref);
            responses.add(out);
            if (response.status() < 300) {
                results.put(ref, Records.JSON.valueToTree(response.body() == null ? Map.of() : response.body()));
            }
            if (allOrNone && response.status() >= 400) {
                return;
            }
        }
    }

    /** After an all-or-none failure: the failure keeps its error, every other subrequest reports the rollback. */
    private static void halt(List<Map<String, Object>> responses, JsonNode subrequests) {
        RecordError halted = new RecordError("PROCESSING_HALTED",
                "The transaction was rolled back since another operation in the same transaction failed.");
        for (Map<String, Object> response : responses) {
            if ((int) response.get("httpStatusCode") < 400) {
                response.put("body", List.of(ApiResponse.topLevel(halted)));
                response.put("httpHeaders", Map.of());
                response.put("httpStatusCode", 400);
            }
        }
        for (int i = responses.size(); i < subrequests.size(); i++) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("body", List.of(ApiResponse.topLevel(halted)));
            out.put("httpHeaders", Map.of());
            out.put("httpStatusCode", 400);
            out.put("referenceId", subrequests.get(i).get("referenceId").asText());
            responses.add(out);
        }
    }

    private static final class UnresolvedReference extends RuntimeException {
        UnresolvedReference(String message) {
            super(message, null, false, false);
        }
    }

    private static String resolve(String text, Map<String, JsonNode> results, boolean url) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = lookup(results, m.group(1), m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value.isValueNode() ? value.asText()
                    : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode resolveNode(JsonNode node, Map<String, JsonNode> results) {
        if (node.isTextual()) {
            Matcher whole = REFERENCE.matcher(node.asText());
            if (whole.matches()) {
                return lookup(results, whole.group(1), whole.group(2));
            }
            return TextNode.valueOf(resolve(node.asText(), results, false));
        }
        if (node.isObject()) {
            ObjectNode copy = Records.JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), resolveNode(e.getValue(), results)));
            return copy;
        }
        if (node.isArray()) {
            var copy = Records.JSON.createArrayNode();
            node.forEach(e -> copy.add(resolveNode(e, results)));
            return copy;
        }
        return node;
    }

    /** {@code ref.path} where path is dotted names with optional [n] indexes: {@code id}, {@code records[0].Id}. */
    private static JsonNode lookup(Map<String, JsonNode> results, String ref, String path) {
        JsonNode node = results.get(ref);
        String expression = ref + "." + path;
        if (node == null) {
            throw new UnresolvedReference("Invalid reference specified. No value for " + expression + " found in "
                    + ref + ". Provided referenceId ('" + ref + "') must exist and be a sub request that was "
                    + "processed successfully.");
        }
        for (String part : path.split("\\.")) {
            Matcher m = Pattern.compile("([^\\[]+)((?:\\[\\d+])*)").matcher(part);
            if (!m.matches()) {
                node = null;
                break;
            }
            node = node.get(m.group(1));
            Matcher index = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
            while (node != null && index.find()) {
                node = node.get(Integer.parseInt(index.group(1)));
            }
            if (node == null) {
                break;
            }
        }
        if (node == null || node.isNull()) {
            throw new UnresolvedReference("Invalid reference specified. No value for " + expression + " found in "
                    + ref + ".");
        }
        return node;
    }

    // ---------------------------------------------------------------- sObject Collections

    @POST
    @Path("sobjects")
    public Response createCollection(String body) {
        return collections.create(current.get(), Records.object(body)).toResponse();
    }

    @PATCH
    @Path("sobjects")
    public Response updateCollection(String body) {
        return collections.update(current.get(), Records.object(body)).toResponse();
    }

    @DELETE
    @Path("sobjects")
    public Response deleteCollection(@QueryParam("ids") String ids, @QueryParam("allOrNone") boolean allOrNone) {
        return collections.delete(current.get(), ids, allOrNone).toResponse();
    }

    @GET
    @Path("sobjects/{object}")
    public Response retrieveCollection(@PathParam("object") String object, @QueryParam("ids") String ids,
            @QueryParam("fields") String fields) {
        return collections.retrieve(current.get(), object, split(ids), split(fields)).toResponse();
    }

    /** The POST form of retrieve, for id lists too long for a URL. */
    @POST
    @Path("sobjects/{object}")
    public Response retrieveCollectionByPost(@PathParam("object") String object, String body) {
        ObjectNode request = Records.object(body);
        List<String> ids = new ArrayList<>();
        request.path("ids").forEach(n -> ids.add(n.asText()));
        List<String> fields = new ArrayList<>();
        request.path("fields").forEach(n -> fields.add(n.asText()));
        return collections.retrieve(current.get(), object, ids, fields).toResponse();
    }

    @PATCH
    @Path("sobjects/{object}/{field}")
    public Response upsertCollection(@PathParam("object") String object, @PathParam("field") String field,
            String body) {
        return collections.upsert(current.get(), object, field, Records.object(body)).toResponse();
    }

    private static List<String> split(String list) {
        return list == null ? List.of()
                : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    // ---------------------------------------------------------------- sObject Tree

    @POST
    @Path("tree/{object}")
    public Response createTree(@PathParam("object") String object, String body) {
        return tree.create(current.get(), object, Records.object(body)).toResponse();
    }
}
