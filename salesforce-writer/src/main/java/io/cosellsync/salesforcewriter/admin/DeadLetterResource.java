package io.cosellsync.salesforcewriter.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.TenantId;
import io.cosellsync.salesforcewriter.deadletters.DeadLetterIndex;
import io.cosellsync.salesforcewriter.deadletters.DeadLetterIndex.Letter;
import io.cosellsync.salesforcewriter.deadletters.DeadLetterReplay;
import io.cosellsync.support.admin.Operators;
import io.cosellsync.support.admin.Problem;
import io.cosellsync.support.config.TenancyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators' dead-letter API (ADR 0005), under {@code /admin} (operators only, see {@code AdminSurface}; never
 * routed by the chart's Ingress). A tenant is named in the path; {@code -} stands for letters that named no valid
 * tenant. An operator acts for the tenants their roles cover ({@code ops}: all; {@code ops:<tenant>}: one) and sees
 * only those tenants' letters.
 * <ul>
 * <li>{@code GET /admin/dead-letters?tenant&service&reason&state&record&since&until&limit}: letters, newest first</li>
 * <li>{@code GET /admin/dead-letters/{tenant}/{id}}: one letter, its original record decoded, and its history</li>
 * <li>{@code POST /admin/dead-letters/{tenant}/replay}: {@code {"ids": […]}} or {@code {"filter": {…}}} or
 * {@code {"all": true}} (every open letter), with {@code dryRun}, {@code perSecond}, {@code force},
 * {@code targetTopic}</li>
 * <li>{@code POST /admin/dead-letters/{tenant}/{id}/discard}: {@code {"reason": "…"}}</li>
 * </ul>
 */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    static final int MAX_LIST = 1000;
    static final int MAX_REPLAY = 10_000;
    static final double MAX_RATE = 1000;

    /** A replay request as sent. */
    public record ReplayBody(List<String> ids, FilterBody filter, Boolean all, Boolean dryRun, Double perSecond,
            Boolean force, String targetTopic) {
    }

    /** A filter as sent; state defaults to {@code open}. */
    public record FilterBody(String service, String reason, String state, String record, String since,
            String until) {
    }

    public record DiscardBody(String reason) {
    }

    private final DeadLetterIndex index;
    private final DeadLetterReplay replay;
    private final TenancyConfig tenancy;
    private final Operators operators;

    public DeadLetterResource(DeadLetterIndex index, DeadLetterReplay replay, TenancyConfig tenancy,
            Operators operators) {
        this.index = index;
        this.replay = replay;
        this.tenancy = tenancy;
        this.operators = operators;
    }

    @GET
    public Uni<Response> list(@QueryParam("tenant") String tenant, @QueryParam("service") String service,
            @QueryParam("reason") String reason, @QueryParam("state") String state,
            @QueryParam("record") String record, @QueryParam("since") String since,
            @QueryParam("until") String until, @DefaultValue("100") @QueryParam("limit") int limit) {
        String instance = "/admin/dead-letters";
        Response refused = tenant == null ? null : refusal(tenant, instance);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        if (limit < 1 || limit > MAX_LIST) {
            return bad("'limit' is between 1 and " + MAX_LIST, instance);
        }
        try {
            Collection<String> tenants = tenant != null ? List.of(stored(tenant)) : visibleTenants();
            DeadLetterIndex.Filter filter = new DeadLetterIndex.Filter(tenants, service, reason, state, record, instant(since, "since"), instant(until, "until"),
                    limit);
            return index.list(filter).map(letters -> Response.ok(letters.stream().map(DeadLetterResource::summary)
                    .toList()).build());
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage(), instance);
        }
    }

    @GET
    @Path("{tenant}/{id}")
    public Uni<Response> show(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        String instance = "/admin/dead-letters/" + tenant + "/" + id;
        Response refused = refusal(tenant, instance);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        String stored = stored(tenant);
        return index.letter(stored, id).chain(found -> found.isEmpty() ? noSuchLetter(tenant, id, instance)
                : index.history(stored, id).map(history -> {
                    Map<String, Object> body = summary(found.get());
                    body.put("originalTopic", found.get().originalTopic());
                    body.put("originalKey", found.get().originalKey());
                    body.put("originalType", found.get().originalType());
                    body.put("original", decoded(found.get()));
                    body.put("originalHeaders", found.get().originalHeaders());
                    body.put("history", history);
                    return Response.ok(body).build();
                }));
    }

    @POST
    @Path("{tenant}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> replay(@PathParam("tenant") String tenant, ReplayBody body) {
        String instance = "/admin/dead-letters/" + tenant + "/replay";
        Response refused = refusal(tenant, instance);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        String stored = stored(tenant);
        boolean byIds = body != null && body.ids() != null && !body.ids().isEmpty();
        boolean byFilter = body != null && body.filter() != null;
        boolean all = body != null && Boolean.TRUE.equals(body.all());
        if ((byIds ? 1 : 0) + (byFilter ? 1 : 0) + (all ? 1 : 0) != 1) {
            return bad("name the letters: exactly one of 'ids', 'filter' or 'all': true", instance);
        }
        double perSecond = body.perSecond() == null ? 50 : body.perSecond();
        if (perSecond <= 0 || perSecond > MAX_RATE) {
            return bad("'perSecond' is above 0 and at most " + (int) MAX_RATE, instance);
        }
        try {
            FilterBody f = byFilter ? body.filter() : new FilterBody(null, null, null, null, null, null);
            DeadLetterIndex.Filter filter = new DeadLetterIndex.Filter(List.of(stored), f.service(), f.reason(),
                    f.state() == null ? "open" : f.state(), f.record(), instant(f.since(), "since"),
                    instant(f.until(), "until"), MAX_REPLAY);
            return replay.replay(stored, operators.current().name(), new DeadLetterReplay.Request(byIds ? body.ids() : null, filter,
                    Boolean.TRUE.equals(body.dryRun()), perSecond, Boolean.TRUE.equals(body.force()),
                    body.targetTopic())).map(result -> Response.ok(result).build());
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage(), instance);
        }
    }

    @POST
    @Path("{tenant}/{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> discard(@PathParam("tenant") String tenant, @PathParam("id") String id,
            DiscardBody body) {
        String instance = "/admin/dead-letters/" + tenant + "/" + id + "/discard";
        Response refused = refusal(tenant, instance);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        String stored = stored(tenant);
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            return bad("say why: {\"reason\": \"…\"}", instance);
        }
        return index.letter(stored, id).chain(found -> found.isEmpty() ? noSuchLetter(tenant, id, instance)
                : index.discarded(stored, id, operators.current().name(), body.reason().strip())
                        .replaceWith(Response.noContent().build()));
    }

    /** 404 for a tenant not served here, 403 for one the operator may not act for, else null. */
    private Response refusal(String tenant, String instance) {
        if (stored(tenant) == null) {
            return Problem.response(404, "Unknown tenant", "tenant '" + tenant + "' is not served here", instance);
        }
        return operators.refusal(tenant, instance);
    }

    /** The index's tenants this operator sees: null for all, else theirs. */
    private Collection<String> visibleTenants() {
        Collection<String> visible = operators.current().visibleTenants();
        return visible == null ? null : visible.stream().map(this::stored).filter(t -> t != null).toList();
    }

    /** The tenant as the index keeps it ("" for "-"), or null when this process does not serve it. */
    private String stored(String tenant) {
        if ("-".equals(tenant)) {
            return "";
        }
        try {
            return tenancy.serves(TenantId.of(tenant)) ? tenant : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, Object> summary(Letter letter) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tenant", letter.tenant().isEmpty() ? "-" : letter.tenant());
        summary.put("id", letter.letterId());
        summary.put("service", letter.service());
        summary.put("reasonCode", letter.reasonCode());
        summary.put("reason", letter.reason());
        summary.put("state", letter.state());
        summary.put("failures", letter.failures());
        summary.put("replays", letter.replays());
        summary.put("attempts", letter.attempts());
        summary.put("firstFailedAt", letter.firstFailedAt().toString());
        summary.put("lastFailedAt", letter.lastFailedAt().toString());
        summary.put("opportunityId", letter.opportunityId());
        summary.put("discardReason", letter.discardReason());
        return summary;
    }

    /** The original record: its JSON where it is JSON, else its text (or base64) as kept. */
    private static Object decoded(Letter letter) {
        if ("utf-8".equals(letter.payloadEncoding()) && letter.originalPayload() != null) {
            try {
                JsonNode json = EventCodec.mapper().readTree(letter.originalPayload());
                if (json != null) {
                    return json;
                }
            } catch (IOException e) {
                // not JSON: shown as text
            }
        }
        return letter.originalPayload();
    }

    private static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' is an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    private static Uni<Response> noSuchLetter(String tenant, String id, String instance) {
        return Uni.createFrom().item(Problem.response(404, "No such dead letter", "tenant " + tenant
                + " has no dead letter " + id, instance));
    }

    private static Uni<Response> bad(String detail, String instance) {
        return Uni.createFrom().item(Problem.response(400, "Bad request", detail, instance));
    }
}
