package io.cosellsync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cosell-admin dead-letters …}: list, show, replay and discard dead letters (docs/operations.md). */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "See, replay and discard dead letters.",
        subcommands = {DeadLetterCommands.ListLetters.class, DeadLetterCommands.Show.class,
            DeadLetterCommands.Replay.class, DeadLetterCommands.Discard.class})
public class DeadLetterCommands {

    static final String API = "admin/dead-letters";

    /** The filter options of list and replay. */
    static class Selection {
        @Option(names = "--service", description = "the service that gave up, e.g. partnercenter-writer")
        String service;
        @Option(names = "--reason", description = "the reason code, e.g. PARTNER_CENTER_REJECTED_400")
        String reason;
        @Option(names = "--state", description = "open, replayed, resolved or discarded")
        String state;
        @Option(names = "--record", description = "a letter id, the original record's key or an opportunity Id")
        String record;
        @Option(names = "--since", description = "last failure at or after (ISO-8601, e.g. 2026-12-01T00:00:00Z)")
        String since;
        @Option(names = "--until", description = "last failure before (ISO-8601)")
        String until;

        Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("service", service);
            map.put("reason", reason);
            map.put("state", state);
            map.put("record", record);
            map.put("since", since);
            map.put("until", until);
            return map;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Dead letters, newest failure first.")
    static class ListLetters implements Callable<Integer> {
        @Mixin
        CosellAdmin.Connection connection;
        @Spec
        CommandSpec spec;
        @Option(names = "--tenant", description = "one tenant (- for letters that named none); default: all")
        String tenant;
        @Mixin
        Selection selection;
        @Option(names = "--limit", defaultValue = "100", description = "at most this many (1–1000)")
        int limit;

        @Override
        public Integer call() {
            return CosellAdmin.run(spec, () -> {
                Map<String, String> query = new LinkedHashMap<>(selection.asMap());
                query.put("tenant", tenant);
                query.put("limit", Integer.toString(limit));
                JsonNode letters = connection.api().get(API, query);
                Table table = new Table("TENANT", "ID", "SERVICE", "STATE", "FAILURES", "LAST FAILURE",
                        "OPPORTUNITY", "REASON");
                for (JsonNode l : letters) {
                    table.row(l.path("tenant").asText(), l.path("id").asText(), l.path("service").asText(),
                            l.path("state").asText(), l.path("failures").asText(), l.path("lastFailedAt").asText(),
                            l.path("opportunityId").asText(""), l.path("reasonCode").asText() + ": "
                                    + l.path("reason").asText());
                }
                PrintWriter out = spec.commandLine().getOut();
                out.print(table.render());
                out.println(table.size() + " letter(s)");
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One letter: reason, original record, history (JSON).")
    static class Show implements Callable<Integer> {
        @Mixin
        CosellAdmin.Connection connection;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "the tenant (- for none)")
        String tenant;
        @Parameters(index = "1", description = "the letter id")
        String id;

        @Override
        public Integer call() {
            return CosellAdmin.run(spec, () -> {
                JsonNode letter = connection.api().get(API + "/" + tenant + "/" + id, Map.of());
                spec.commandLine().getOut().println(AdminApi.JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(letter));
                return 0;
            });
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Send letters' records again, to their"
            + " topics. Without --id, the letters the filter selects (open ones unless --state says otherwise).")
    static class Replay implements Callable<Integer> {
        @Mixin
        CosellAdmin.Connection connection;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "the tenant (- for none)")
        String tenant;
        @Option(names = "--id", description = "a letter to replay (repeatable)")
        List<String> ids;
        @Option(names = "--all", description = "every open letter of the tenant")
        boolean all;
        @ArgGroup(exclusive = false)
        Selection selection;
        @Option(names = "--dry-run", description = "list what would be replayed; change nothing")
        boolean dryRun;
        @Option(names = "--rate", defaultValue = "50", description = "records per second (default ${DEFAULT-VALUE})")
        double rate;
        @Option(names = "--force", description = "replay letters already replayed, or discarded, too")
        boolean force;
        @Option(names = "--target-topic", description = "send the records there instead of their own topic")
        String targetTopic;

        @Override
        public Integer call() {
            return CosellAdmin.run(spec, () -> {
                int ways = (ids != null && !ids.isEmpty() ? 1 : 0) + (all ? 1 : 0) + (selection != null ? 1 : 0);
                if (ways != 1) {
                    throw new IllegalArgumentException("name the letters: --id …, --all, or filter options");
                }
                AdminApi api = connection.api();
                PrintWriter out = spec.commandLine().getOut();
                PrintWriter err = spec.commandLine().getErr();
                // first what would go (and what not, why), then the replay in steps of one second, with progress
                JsonNode plan = api.post(API + "/" + tenant + "/replay", body(selector(), true, List.of()));
                List<String> due = new ArrayList<>();
                plan.path("replayed").forEach(id -> due.add(id.asText()));
                leftAlone(plan, err);
                if (dryRun) {
                    due.forEach(out::println);
                    out.println("would replay " + due.size() + " letter(s); left alone "
                            + plan.path("skipped").size());
                    return 0;
                }
                int step = (int) Math.max(1, Math.ceil(rate));
                int done = 0;
                for (int i = 0; i < due.size(); i += step) {
                    List<String> chunk = due.subList(i, Math.min(due.size(), i + step));
                    JsonNode result = api.post(API + "/" + tenant + "/replay", body(Map.of("ids", chunk), false,
                            chunk));
                    done += result.path("replayed").size();
                    leftAlone(result, err);
                    err.println("replayed " + done + "/" + due.size());
                }
                out.println("replayed " + done + " letter(s); left alone " + (plan.path("skipped").size()
                        + due.size() - done));
                return done == due.size() && plan.path("skipped").isEmpty() ? 0 : CosellAdmin.PARTLY;
            });
        }

        private static void leftAlone(JsonNode answer, PrintWriter err) {
            for (JsonNode skipped : answer.path("skipped")) {
                err.println("left alone: " + skipped.path("id").asText() + " — " + skipped.path("why").asText());
            }
        }

        private Map<String, Object> selector() {
            if (ids != null && !ids.isEmpty()) {
                return Map.of("ids", ids);
            }
            if (all) {
                return Map.of("all", true);
            }
            Map<String, Object> filter = new LinkedHashMap<>();
            selection.asMap().forEach((k, v) -> {
                if (v != null) {
                    filter.put(k, v);
                }
            });
            return Map.of("filter", filter);
        }

        private Map<String, Object> body(Map<String, Object> selector, boolean dry, List<String> chunk) {
            Map<String, Object> body = new LinkedHashMap<>(selector);
            body.put("dryRun", dry);
            body.put("perSecond", rate);
            body.put("force", force);
            if (targetTopic != null) {
                body.put("targetTopic", targetTopic);
            }
            return body;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Mark a letter as needing nothing more; filters and --all leave it alone.")
    static class Discard implements Callable<Integer> {
        @Mixin
        CosellAdmin.Connection connection;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "the tenant (- for none)")
        String tenant;
        @Parameters(index = "1", description = "the letter id")
        String id;
        @Option(names = "--reason", required = true, description = "why (kept with the letter)")
        String reason;

        @Override
        public Integer call() {
            return CosellAdmin.run(spec, () -> {
                connection.api().post(API + "/" + tenant + "/" + id + "/discard", Map.of("reason", reason));
                spec.commandLine().getOut().println("discarded " + id);
                return 0;
            });
        }
    }
}
