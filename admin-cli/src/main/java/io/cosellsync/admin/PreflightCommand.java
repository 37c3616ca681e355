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
 * {@code cosell-admin preflight <tenant> --url <ingress-service>}: checks the tenant's Salesforce org and Partner
 * Center sign-in now (or, with {@code --last}, shows the last check) and prints each problem with its fix. Exit 0
 * when it passes, 1 when it fails, 3 when it could not be checked (Salesforce or the service unreachable).
 */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = "Check a tenant's Salesforce org and Partner Center sign-in; print each problem and its fix.")
public class PreflightCommand implements Callable<Integer> {

    @Mixin
    CosellAdmin.Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", description = "the tenant")
    String tenant;
    @Option(names = "--last", description = "show the last check instead of checking now")
    boolean last;

    @Override
    public Integer call() {
        return CosellAdmin.run(spec, () -> {
            String path = "/admin/tenants/" + tenant + "/preflight";
            JsonNode report = last ? connection.api().get(path, Map.of()) : connection.api().post(path, Map.of());
            PrintWriter out = spec.commandLine().getOut();
            String state = report.path("state").asText();
            out.println("tenant " + tenant + ": " + state + (report.hasNonNull("checkedAt")
                    ? " (checked " + report.path("checkedAt").asText() + ")" : "")
                    + (report.hasNonNull("error") ? " — " + report.path("error").asText() : ""));
            for (JsonNode p : report.path("problems")) {
                out.printf("  %-7s %s: %s%n", p.path("severity").asText(), p.path("subject").asText(),
                        p.path("problem").asText());
                out.printf("          fix: %s%n", p.path("fix").asText());
            }
            return switch (state) {
                case "PASSED" -> 0;
                case "FAILED" -> CosellAdmin.REFUSED;
                default -> CosellAdmin.UNAVAILABLE;
            };
        });
    }
}
