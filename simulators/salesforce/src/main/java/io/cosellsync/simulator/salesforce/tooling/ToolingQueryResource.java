package io.cosellsync.simulator.salesforce.tooling;

import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.cdc.ChangeEventBus;
import io.cosellsync.simulator.salesforce.cdc.ChangeEventSchema;
import io.cosellsync.simulator.salesforce.rest.ApiCall;
import io.cosellsync.simulator.salesforce.rest.CurrentCall;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one Tooling API query a preflight makes: {@code GET /services/data/vNN.N/tooling/query?q=SELECT … FROM
 * PlatformEventChannelMember} — the org's Change Data Capture selections, one member per selected object, named
 * {@code ChangeEvents_<Event>} on the standard channel (custom channels' members are named {@code <Channel>_chn_…}).
 * Only {@code Id}, {@code DeveloperName} and {@code SelectedEntity} are simulated, without a WHERE clause; anything
 * else is refused as an unsupported type or field, not answered wrongly.
 */
@Path("/services/data/{version}/tooling")
@Produces(MediaType.APPLICATION_JSON)
public class ToolingQueryResource {

    private static final Pattern QUERY = Pattern.compile("\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final String MEMBER = "PlatformEventChannelMember";
    private static final Set<String> FIELDS = Set.of("Id", "DeveloperName", "SelectedEntity");

    private final CurrentCall current;
    private final ChangeEventBus events;

    public ToolingQueryResource(CurrentCall current, ChangeEventBus events) {
        this.current = current;
        this.events = events;
    }

    @GET
    @Path("query")
    public Map<String, Object> query(@QueryParam("q") String q) {
        ApiCall call = current.get();
        Matcher m = QUERY.matcher(q == null ? "" : q);
        if (!m.matches()) {
            throw new RestError(400, "MALFORMED_QUERY", "the simulator's Tooling API answers SELECT <fields> FROM "
                    + MEMBER + " (no WHERE, ORDER BY or LIMIT)");
        }
        if (!m.group(2).equalsIgnoreCase(MEMBER)) {
            throw new RestError(400, "INVALID_TYPE", "sObject type '" + m.group(2) + "' is not supported by the"
                    + " simulator's Tooling API");
        }
        List<String> fields = new ArrayList<>();
        for (String field : m.group(1).split(",")) {
            String name = FIELDS.stream().filter(f -> f.equalsIgnoreCase(field.trim())).findFirst()
                    .orElseThrow(() -> new RestError(400, "INVALID_FIELD", "No such column '" + field.trim()
                            + "' on entity '" + MEMBER + "' in the simulator"));
            fields.add(name);
        }
        String tenant = call.org().tenant();
        List<Map<String, Object>> records = new ArrayList<>();
        int n = 0;
        for (String entity : events.schemas(tenant).keySet()) {
            records.add(member(call, fields, "ChangeEvents", ChangeEventSchema.eventName(entity), ++n));
        }
        for (var channel : events.customChannels(tenant).entrySet()) {
            String name = channel.getKey().substring("/data/".length()).replace("__chn", "_chn");
            for (ChangeEventBus.Member member : channel.getValue()) {
                records.add(member(call, fields, name, ChangeEventSchema.eventName(member.entity()), ++n));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", records.size());
        out.put("totalSize", records.size());
        out.put("done", true);
        out.put("queryLocator", null);
        out.put("entityTypeName", MEMBER);
        out.put("records", records);
        return out;
    }

    private static Map<String, Object> member(ApiCall call, List<String> fields, String channel, String event,
            int n) {
        String id = String.format(Locale.ROOT, "0v8%012dAAA", n);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("attributes", Map.of("type", MEMBER, "url", "/services/data/" + call.version() + "/tooling/sobjects/"
                + MEMBER + "/" + id));
        for (String field : fields) {
            row.put(field, switch (field) {
                case "Id" -> id;
                case "DeveloperName" -> channel + "_" + event;
                default -> event;
            });
        }
        return row;
    }
}
