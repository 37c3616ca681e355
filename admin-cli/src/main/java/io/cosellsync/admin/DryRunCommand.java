package io.cosellsync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cosell-admin dry-run <tenant> --url <salesforce-writer>}: whether the tenant is in dry run and what both
 * writers would have written for it, newest first, a line each.
 */
@Command(name = "dry-run", mixinStandardHelpOptions = true,
        description = "List what the writers would have written for a tenant in dry run, newest first.")
public class DryRunCommand implements Callable<Integer> {

    @Mixin
    CosellAdmin.Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", description = "the tenant")
    String tenant;
    @Option(names = "--limit", defaultValue = "100", description = "at most this many lines (default 100)")
    int limit;

    @Override
    public Integer call() {
        return CosellAdmin.run(spec, () -> {
            JsonNode answer = connection.api().get("/admin/tenants/" + tenant + "/dry-run",
                    Map.of("limit", Integer.toString(limit)));
            PrintWriter out = spec.commandLine().getOut();
            out.println("tenant " + tenant + (answer.path("dryRun").asBoolean() ? ": in dry run (nothing is written)"
                    : ": live (not in dry run)") + ", " + answer.path("lines").size() + " lines");
            for (JsonNode line : answer.path("lines")) {
                out.printf("%s  %-20s %s%n", line.path("recordedAt").asText(), line.path("writer").asText(),
                        line.path("would").asText());
            }
            return 0;
        });
    }
}
