package io.cosellsync.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operators' command line ({@code cosell-admin}, the packaged {@code admin-cli}) run against the local
 * system's salesforce-writer, as an operator runs it: with the local run's admin key unless the arguments name a
 * token ({@code --token}) or a client-credentials sign-in ({@code --token-url}).
 */
final class AdminCli {

    /** What the CLI printed and its exit code. */
    record Result(int exit, String out, String err) {
    }

    private AdminCli() {
    }

    static Result run(LocalSystem system, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", Processes.ROOT.resolve(
                "admin-cli/target/quarkus-app/quarkus-run.jar").toString()));
        command.addAll(List.of(args));
        if (!command.contains("--key") && !command.contains("--token") && !command.contains("--token-url")) {
            command.addAll(List.of("--key-file", system.state().resolve("admin.key").toString()));
        }
        command.addAll(List.of("--url", "http://127.0.0.1:" + system.port(8082)));
        Path out = Files.createTempFile("cosell-admin", ".out");
        Path err = Files.createTempFile("cosell-admin", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("cosell-admin " + command + " did not end");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
