package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import io.cosellsync.simulator.partnercenter.faults.Fault;
import io.cosellsync.simulator.partnercenter.faults.Faults;
import io.cosellsync.simulator.partnercenter.odata.ReferralFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The Referrals API, {@code /v1.0/engagements/referrals}: create, read, list, JSON Patch and the legacy PUT.
 * There is no DELETE (405, as the service answers). Lists take {@code $filter} (the documented subset, see
 * {@link ReferralFilter}), {@code $orderby}, {@code $top} and {@code $select}, in pages of 100.
 */
@Path("/v1.0/engagements/referrals")
@Produces(MediaType.APPLICATION_JSON)
public class ReferralsResource {

    static final int PAGE_SIZE = 100;
    /** {@code $count} is accepted and changes nothing: {@code @odata.count} is always returned, as observed. */
    private static final List<String> QUERY_OPTIONS = List.of("$filter", "$orderby", "$top", "$select", "$skiptoken",
            "$count");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ReferralStore store;
    private final Referrals referrals;
    private final Caller caller;
    private final SimulatorClock clock;
    private final Faults faults;

    public ReferralsResource(ReferralStore store, Referrals referrals, Caller caller, SimulatorClock clock,
            Faults faults) {
        this.faults = faults;
        this.store = store;
        this.referrals = referrals;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam("Authorization") String authorization, JsonNode body,
            @Context UriInfo uri) {
        Caller.Identity identity = caller.identify(authorization, body);
        identity.requireWriter();
        Organization org = identity.organization();
        for (String required : List.of("type", "customerProfile", "consent", "details")) {
            if (!hasValue(body, required)) {
                throw ValidationRule.REQUIRED_FIELD.violation("'" + required + "' is required");
            }
        }
        ObjectNode referral = ReferralWire.shape(body);
        if (!hasValue(body, "name")) {
            throw ValidationRule.REQUIRED_FIELD.violation("'name' is required");
        }
        ReferralValidator.validate(referral);
        ObjectNode stored = referrals.createOwn(org, referral, uri.getBaseUri().toString());
        String id = stored.get("id").asText();
        return entity(Response.status(201).location(URI.create(selfUri(uri, id))), stored, uri);
    }

    @GET
    @Path("{id}")
    public Response get(@HeaderParam("Authorization") String authorization, @PathParam("id") String id,
            @Context UriInfo uri) {
        Caller.Identity identity = caller.identify(authorization);
        Organization org = identity.organization();
        store.expireDue(clock.now());
        ObjectNode referral = store.find(org.tenant(), id).filter(identity::canSee)
                .orElseThrow(() -> new ApiException(404, "NotFound", "referral '" + id + "' was not found"));
        if (faults.fires(org.tenant(), Fault.ETAG_CHURN) && !"Closed".equals(referral.path("status").asText())) {
            // "Microsoft" edits the referral right after this read: the reader's eTag is already stale
            store.update(org.tenant(), id, null, current -> current);
        }
        return entity(Response.ok(), referral, uri);
    }

    @GET
    public ObjectNode list(@HeaderParam("Authorization") String authorization, @QueryParam("$filter") String filter,
            @QueryParam("$select") String select, @QueryParam("$orderby") String orderBy,
            @QueryParam("$top") Integer top, @QueryParam("$skiptoken") String skipToken, @Context UriInfo uri) {
        Caller.Identity identity = caller.identify(authorization);
        Organization org = identity.organization();
        for (String option : uri.getQueryParameters().keySet()) {
            if (option.startsWith("$") && !QUERY_OPTIONS.contains(option)) {
                throw ApiException.badRequest("query option '" + option + "' is not supported (supported: "
                        + String.join(", ", QUERY_OPTIONS) + ")");
            }
        }
        store.expireDue(clock.now());
        Predicate<JsonNode> matches = filter == null ? r -> true : ReferralFilter.parse(filter);
        List<String> selected = select == null ? null : select(select);
        if (top != null && top < 1) {
            throw ApiException.badRequest("'$top' must be a positive number");
        }
        List<ObjectNode> all = store.matching(org.tenant(), r -> identity.canSee(r) && matches.test(r)).stream()
                .sorted(order(orderBy)).toList();
        List<ObjectNode> matching = top == null ? all : all.subList(0, Math.min(top, all.size()));
        int from = skipToken == null ? 0 : decodeSkip(skipToken);
        int to = Math.min(from + PAGE_SIZE, matching.size());

        ObjectNode page = NODES.objectNode();
        page.put("@odata.context", uri.getBaseUri() + "v1.0/$metadata#Referrals");
        page.put("@odata.count", matching.size());
        ArrayNode value = page.putArray("value");
        matching.subList(Math.min(from, to), to).forEach(r -> value.add(selected == null ? r : r.retain(selected)));
        if (to < matching.size()) {
            StringBuilder next = new StringBuilder(collectionUri(uri)).append("?");
            if (filter != null) {
                next.append("$filter=").append(encode(filter)).append("&");
            }
            if (select != null) {
                next.append("$select=").append(encode(select)).append("&");
            }
            if (orderBy != null) {
                next.append("$orderby=").append(encode(orderBy)).append("&");
            }
            if (top != null) {
                next.append("$top=").append(top).append("&");
            }
            next.append("$skiptoken=").append(encodeSkip(to));
            page.put("@odata.nextLink", next.toString());
        }
        return page;
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/json-patch+json"})
    public Response patch(@HeaderParam("Authorization") String authorization, @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Prefer") String prefer, JsonNode operations,
            @Context UriInfo uri) {
        Caller.Identity identity = caller.identify(authorization);
        identity.requireWriter();
        Organization org = identity.organization();
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ValidationRule.MALFORMED_BODY.violation("the body must be a non-empty JSON Patch array");
        }
        for (JsonNode op : operations) {
            String name = op.path("op").asText().toLowerCase(Locale.ROOT);
            if (!name.equals("add") && !name.equals("replace")) {
                throw ValidationRule.PATCH_OPERATION.violation("JSON Patch operation '" + op.path("op").asText()
                        + "' is not supported (add, replace)");
            }
            String path = op.path("path").asText();
            if (Lifecycle.SERVER_OWNED.stream().anyMatch(owned -> path.equals(owned) || path.startsWith(owned + "/"))) {
                throw ValidationRule.READ_ONLY_FIELD.violation("'" + path.substring(1).replace('/', '.')
                        + "' is read-only");
            }
        }
        ObjectNode updated = store.update(org.tenant(), id, ifMatch, current -> {
            refuseMicrosoftsReferral(current);
            JsonNode patched;
            try {
                patched = JsonPatch.apply(operations, current);
            } catch (JsonPatchApplicationException | IllegalArgumentException e) {
                throw ValidationRule.MALFORMED_BODY.violation("the patch cannot be applied: " + e.getMessage());
            }
            ObjectNode next = ReferralWire.shape(patched);
            Lifecycle.checkChange(current, next, clock.now());
            ReferralValidator.validate(next);
            return next;
        });
        if (prefer != null && prefer.toLowerCase(Locale.ROOT).contains("return=representation")) {
            return entity(Response.ok(), updated, uri);
        }
        return Response.noContent().header("ETag", updated.get("eTag").asText()).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replace(@HeaderParam("Authorization") String authorization, @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch, JsonNode body, @Context UriInfo uri) {
        Caller.Identity identity = caller.identify(authorization);
        identity.requireWriter();
        Organization org = identity.organization();
        if (ifMatch == null || ifMatch.isBlank()) {
            throw ApiException.badRequest("the If-Match header is required to replace a referral");
        }
        ObjectNode incoming = ReferralWire.shape(body);
        ObjectNode updated = store.update(org.tenant(), id, ifMatch, current -> {
            refuseMicrosoftsReferral(current);
            for (String owned : Lifecycle.SERVER_OWNED) {
                // the server's values stand; a client cannot change them by sending the whole object
                String field = owned.substring(1);
                if (!field.contains("/")) {
                    incoming.set(field, current.get(field));
                }
            }
            ((ObjectNode) incoming.get("customerProfile")).set("isMatchingComplete",
                    current.path("customerProfile").path("isMatchingComplete"));
            Lifecycle.checkChange(current, incoming, clock.now());
            ReferralValidator.validate(incoming);
            return incoming;
        });
        return entity(Response.ok(), updated, uri);
    }

    /** Microsoft's side of an engagement is visible to the partner but only Microsoft changes it. */
    private static void refuseMicrosoftsReferral(ObjectNode current) {
        if (Referrals.MICROSOFT.equals(current.path("organizationId").asText())) {
            throw new ApiException(403, "Forbidden", "this referral belongs to Microsoft and cannot be changed");
        }
    }

    private static Response entity(Response.ResponseBuilder response, ObjectNode referral, UriInfo uri) {
        ObjectNode body = NODES.objectNode();
        body.put("@odata.context", uri.getBaseUri() + "v1.0/$metadata#Referrals/$entity");
        body.setAll(referral);
        return response.entity(body).header("ETag", referral.get("eTag").asText()).build();
    }

    private static List<String> select(String select) {
        List<String> fields = java.util.Arrays.stream(select.split(",")).map(String::trim).toList();
        ObjectNode template = ReferralWire.template();
        for (String field : fields) {
            if (!template.has(field)) {
                throw ApiException.badRequest("'$select' names an unknown property '" + field + "'");
            }
        }
        return fields;
    }

    private static Comparator<ObjectNode> order(String orderBy) {
        Comparator<ObjectNode> byCreated = Comparator.comparing(r -> r.path("createdDateTime").asText());
        if (orderBy == null) {
            return byCreated.thenComparing(r -> r.path("id").asText());
        }
        String[] parts = orderBy.trim().split("\\s+");
        if (parts.length > 2 || !List.of("createdDateTime", "updatedDateTime").contains(parts[0])
                || (parts.length == 2 && !List.of("asc", "desc").contains(parts[1].toLowerCase(Locale.ROOT)))) {
            throw ApiException.badRequest("'$orderby' supports createdDateTime or updatedDateTime, asc or desc; got '"
                    + orderBy + "'");
        }
        Comparator<ObjectNode> field = Comparator.comparing((ObjectNode r) -> r.path(parts[0]).asText())
                .thenComparing(r -> r.path("id").asText());
        return parts.length == 2 && parts[1].equalsIgnoreCase("desc") ? field.reversed() : field;
    }

    private static String encodeSkip(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeSkip(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("o:")) {
                return Integer.parseInt(text.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiException.badRequest("'$skiptoken' is not valid");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String collectionUri(UriInfo uri) {
        return uri.getBaseUri() + "v1.0/engagements/referrals";
    }

    private static String selfUri(UriInfo uri, String id) {
        return collectionUri(uri) + "/" + id;
    }

    private static boolean hasValue(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            return false;
        }
        for (var e : body.properties()) {
            if (e.getKey().equalsIgnoreCase(field) && !e.getValue().isNull()) {
                return true;
            }
        }
        return false;
    }
}
