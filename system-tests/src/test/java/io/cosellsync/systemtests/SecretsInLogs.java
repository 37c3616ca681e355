package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.testing.JsonHttp;
import io.cosellsync.testing.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The secrets of a running local system — the keys the run command generated, the connected apps' and Entra apps'
 * secrets the simulators were configured with, every session, access and refresh token they issued, and the
 * operators' identity provider's client secrets — collected while it runs, then looked for in every log it wrote
 * (after it stopped, so the logs are whole). A JSON Web Token of any kind in a log fails too.
 */
final class SecretsInLogs {

    /** The start of a JSON Web Token ({"alg":…} or {"typ":…} in base64url) followed by a payload. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}");

    private final Set<String> secrets;

    private SecretsInLogs(Set<String> secrets) {
        this.secrets = secrets;
    }

    /** Collected from the system while it runs. */
    static SecretsInLogs of(LocalSystem system) throws IOException {
        Set<String> secrets = new LinkedHashSet<>();
        for (String file : List.of("admin.key", "credential.key")) {
            Path key = system.state().resolve(file);
            if (Files.exists(key)) {
                secrets.add(Files.readString(key).strip());
            }
        }
        for (String simulator : List.of(system.salesforce(), system.partnerCenter())) {
            JsonNode issued = JsonHttp.send(HttpRequest.newBuilder(URI.create(simulator + "/_sim/issued-credentials"))
                    .GET());
            issued.forEach(values -> values.forEach(v -> secrets.add(v.asText())));
        }
        TokenIssuer.shared().environment().forEach((name, value) -> {
            if (name.contains("SECRET") || name.contains("KEY") || name.contains("PASSWORD")) {
                secrets.add(value);
            }
        });
        secrets.removeIf(s -> s == null || s.length() < 8);
        return new SecretsInLogs(secrets);
    }

    /** How many secrets were collected (at least the two keys, the apps' secrets and some issued tokens). */
    int size() {
        return secrets.size();
    }

    /** Fails naming the log and the kind of secret (never the secret itself) when a log holds one. */
    void assertNoneIn(Path logs, List<String> output) throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(logs)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            check(file.getFileName().toString(), Files.readString(file, StandardCharsets.ISO_8859_1), found);
        }
        check("the run command's output", String.join("\n", output), found);
        assertTrue(found.isEmpty(), "secrets in logs: " + found);
    }

    private void check(String where, String text, List<String> found) {
        int index = 0;
        for (String secret : secrets) {
            index++;
            if (text.contains(secret)) {
                found.add(where + " holds secret #" + index + " (" + secret.length() + " characters, starting "
                        + secret.substring(0, 3) + "…)");
            }
        }
        if (JWT.matcher(text).find()) {
            found.add(where + " holds a JSON Web Token");
        }
    }
}
