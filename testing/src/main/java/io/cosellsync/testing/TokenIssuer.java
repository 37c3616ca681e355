package io.cosellsync.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A real OpenID Connect issuer for tests of the admin surface: discovery document and signing keys over HTTP (one
 * per test JVM, on 127.0.0.1), RS256 access tokens for operators with the roles the test names ({@code ops},
 * {@code ops:<tenant>}), and the client credentials grant for unattended callers registered with {@link #client}. The services verify those tokens with quarkus-oidc exactly as they would Entra ID's.
 * {@link Resource} points a {@code @QuarkusTest}'s service at it.
 */
public final class TokenIssuer {

    /** The audience the admin surface expects (the application id URI of "co-sell sync admin"). */
    public static final String AUDIENCE = "api://cosell-sync-admin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TokenIssuer shared;

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final RsaJsonWebKey strangerKey;
    private final String issuer;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    private record Client(String secret, String[] roles) {
    }

    private TokenIssuer() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(UUID.randomUUID().toString());
            strangerKey = RsaJwkGenerator.generateJwk(2048);
            strangerKey.setKeyId(key.getKeyId());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        server.createContext("/issuer/.well-known/openid-configuration", exchange -> answer(exchange, 200, Map.of(
                "issuer", issuer, "jwks_uri", issuer + "/keys", "token_endpoint", issuer + "/token",
                "response_types_supported", List.of("code"), "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("RS256"))));
        server.createContext("/issuer/keys", exchange -> answer(exchange, 200, Map.of("keys", List.of(
                key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)))));
        server.createContext("/issuer/token", this::clientCredentials);
        server.start();
    }

    /** The one issuer of this test JVM, started on first use. */
    public static synchronized TokenIssuer shared() {
        if (shared == null) {
            shared = new TokenIssuer();
        }
        return shared;
    }

    public String issuer() {
        return issuer;
    }

    /**
     * The settings that make a service accept this issuer's tokens on its admin surface (also as environment
     * variables: {@link #environment()}).
     */
    public Map<String, String> settings() {
        return Map.of("quarkus.oidc.tenant-enabled", "true", "quarkus.oidc.auth-server-url", issuer,
                "quarkus.oidc.token.audience", AUDIENCE);
    }

    public Map<String, String> environment() {
        return Map.of("QUARKUS_OIDC_TENANT_ENABLED", "true", "QUARKUS_OIDC_AUTH_SERVER_URL", issuer,
                "QUARKUS_OIDC_TOKEN_AUDIENCE", AUDIENCE);
    }

    /** An access token for the operator, valid for ten minutes, with these roles. */
    public String token(String operator, String... roles) {
        return sign(key, operator, subjectOf(operator), AUDIENCE, roles);
    }

    private static String subjectOf(String operator) {
        return UUID.nameUUIDFromBytes(operator.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A token for another audience (another application): the admin surface must refuse it. */
    public String tokenFor(String audience, String operator, String... roles) {
        return sign(key, operator, subjectOf(operator), audience, roles);
    }

    /** A token that looks right but is signed by a key this issuer never published. */
    public String forgedToken(String operator, String... roles) {
        return sign(strangerKey, operator, subjectOf(operator), AUDIENCE, roles);
    }

    /** A token of this issuer, rightly signed, that expired ten minutes ago: the admin surface must refuse it. */
    public String expiredToken(String operator, String... roles) {
        return sign(key, operator, subjectOf(operator), AUDIENCE, -10, roles);
    }

    private String sign(RsaJsonWebKey signer, String user, String subject, String audience, String... roles) {
        return sign(signer, user, subject, audience, 10, roles);
    }

    /**
     * A token of a user (named by preferred_username), or of an app (user null: its client id is the subject),
     * expiring {@code expiresInMinutes} from now (negative: expired).
     */
    private String sign(RsaJsonWebKey signer, String user, String subject, String audience, int expiresInMinutes,
            String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        if (user != null) {
            claims.setClaim("preferred_username", user);
        }
        claims.setStringListClaim("roles", roles);
        // valid for ten minutes, ending expiresInMinutes from now
        long expires = System.currentTimeMillis() / 1000 + expiresInMinutes * 60L;
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(expires));
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(expires - 600));
        claims.setNotBefore(org.jose4j.jwt.NumericDate.fromSeconds(expires - 660));
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers an unattended caller (an app with a secret) whose client-credentials tokens carry these roles; emits
     * the token endpoint.
     */
    public String client(String clientId, String secret, String... roles) {
        clients.put(clientId, new Client(secret, roles));
        return issuer + "/token";
    }

    /** The client credentials grant, as Entra ID answers it: scope {@code <audience>/.default}. */
    private void clientCredentials(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Client client = clients.get(form.getOrDefault("client_id", ""));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            answer(exchange, 400, Map.of("error", "unsupported_grant_type"));
        } else if (client == null || !client.secret().equals(form.get("client_secret"))) {
            answer(exchange, 401, Map.of("error", "invalid_client", "error_description", "unknown client or secret"));
        } else if (!(AUDIENCE + "/.default").equals(form.get("scope"))) {
            answer(exchange, 400, Map.of("error", "invalid_scope"));
        } else {
            answer(exchange, 200, Map.of("token_type", "Bearer", "expires_in", 600, "access_token",
                    sign(key, null, form.get("client_id"), AUDIENCE, client.roles())));
        }
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The shared issuer as a Quarkus test resource: the service under test accepts its tokens. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return shared().settings();
        }

        @Override
        public void stop() {
            // shared by the test JVM, which ends it
        }
    }
}
