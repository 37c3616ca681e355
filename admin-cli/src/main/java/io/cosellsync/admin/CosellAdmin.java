package io.cosellsync.admin;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cosell-admin}: the operators' command line over a service's admin API. Exit codes: 0 done, 1 the API
 * refused the request (a 4xx: wrong tenant, letter or key), 2 wrong usage, 3 the service could not be reached or
 * failed (try again), 4 done in part (some letters were left alone; the output says why).
 */
@TopCommand
@Command(name = "cosell-admin", mixinStandardHelpOptions = true, version = "cosell-admin 0.1.0",
        description = "Operate a co-sell sync release: see, replay and discard dead letters; create its topics;"
                + " run a tenant's preflight; list what a tenant in dry run would have written.",
        subcommands = {DeadLetterCommands.class, TopicCommands.class, PreflightCommand.class,
            DryRunCommand.class})
public class CosellAdmin {

    static final int REFUSED = 1;
    static final int UNAVAILABLE = 3;
    static final int PARTLY = 4;

    /**
     * Where the admin API is and the bearer it takes — an operator's token from the release's identity provider, or
     * the local run's admin key; every command has them.
     */
    static class Connection {

        @Option(names = "--url", defaultValue = "${env:COSELL_ADMIN_URL:-http://127.0.0.1:8082}",
                description = "the salesforce-writer's admin API (env COSELL_ADMIN_URL; default: ${DEFAULT-VALUE})")
        URI url;

        @Option(names = {"--token-file", "--key-file"}, description = "a file holding your access token (roles ops"
                + " or ops:<tenant>) or the local run's admin key (env COSELL_ADMIN_KEY_FILE)",
                defaultValue = "${env:COSELL_ADMIN_KEY_FILE}")
        Path keyFile;

        @Option(names = {"--token", "--key"}, description = "the token or key itself (env COSELL_ADMIN_KEY);"
                + " prefer --token-file", defaultValue = "${env:COSELL_ADMIN_KEY}")
        String key;

        @Option(names = "--token-url", defaultValue = "${env:COSELL_ADMIN_TOKEN_URL}", description = "the identity"
                + " provider's token endpoint: get a token with --client-id and --client-secret-file (env"
                + " COSELL_ADMIN_TOKEN_URL)")
        URI tokenUrl;

        @Option(names = "--client-id", defaultValue = "${env:COSELL_ADMIN_CLIENT_ID}",
                description = "the unattended caller's app (env COSELL_ADMIN_CLIENT_ID)")
        String clientId;

        @Option(names = "--client-secret-file", defaultValue = "${env:COSELL_ADMIN_CLIENT_SECRET_FILE}",
                description = "a file holding its secret (env COSELL_ADMIN_CLIENT_SECRET_FILE)")
        Path clientSecretFile;

        @Option(names = "--scope", defaultValue = "${env:COSELL_ADMIN_SCOPE:-api://cosell-sync-admin/.default}",
                description = "what the token is for (env COSELL_ADMIN_SCOPE; default ${DEFAULT-VALUE})")
        String scope;

        AdminApi api() {
            if (tokenUrl != null) {
                if (clientId == null || clientSecretFile == null) {
                    throw new IllegalArgumentException("--token-url needs --client-id and --client-secret-file");
                }
                return new AdminApi(url, ClientCredentials.token(tokenUrl, clientId, read(clientSecretFile,
                        "client secret"), scope));
            }
            String secret = key;
            if (keyFile != null) {
                secret = read(keyFile, "token or key");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("no credential: give --token-file (or COSELL_ADMIN_KEY_FILE), or"
                        + " --token-url with --client-id and --client-secret-file");
            }
            return new AdminApi(url, secret);
        }

        private static String read(Path file, String what) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": "
                        + e.getMessage());
            }
        }
    }

    /** Runs a command, turning the API's answers into exit codes and messages on standard error. */
    static int run(CommandSpec spec, Callable<Integer> command) {
        try {
            return command.call();
        } catch (AdminApi.Refused e) {
            spec.commandLine().getErr().println("refused: " + e.getMessage());
            return REFUSED;
        } catch (AdminApi.Unavailable e) {
            spec.commandLine().getErr().println("unavailable: " + e.getMessage());
            return UNAVAILABLE;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        } catch (Exception e) {
            spec.commandLine().getErr().println("failed: " + e);
            return UNAVAILABLE;
        }
    }

    @Spec
    CommandSpec spec;
}
