package io.cosellsync.simulator.salesforce.auth;

import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.salesforce.api.OAuthError;
import io.cosellsync.simulator.salesforce.org.Orgs;
import io.cosellsync.simulator.salesforce.org.Orgs.Org;
import io.cosellsync.simulator.salesforce.org.Orgs.User;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Salesforce's OAuth endpoints for server-to-server integrations: the client credentials flow (only on the org's
 * My Domain, i.e. the instance host) and the JWT bearer flow; no refresh tokens, no {@code expires_in}. Also the
 * revoke endpoint, userinfo and the identity URL, which answer on both hosts.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** Longest an assertion may still be valid for (the widely cited Salesforce rule). */
    static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(3);

    private final Orgs orgs;
    private final Sessions sessions;
    private final Hosts hosts;
    private final SimulatorClock clock;

    public OAuthResource(Orgs orgs, Sessions sessions, Hosts hosts, SimulatorClock clock) {
        this.orgs = orgs;
        this.sessions = sessions;
        this.hosts = hosts;
        this.clock = clock;
    }

    @POST
    @Path("services/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Map<String, Object> token(MultivaluedMap<String, String> form, @HeaderParam("Host") String host,
            @HeaderParam("Authorization") String basic) {
        String grant = form.getFirst("grant_type");
        if (grant == null) {
            throw new OAuthError("invalid_request", "grant type not supported");
        }
        Sessions.Session session = switch (grant) {
            case "client_credentials" -> clientCredentials(form, host, basic);
            case JWT_BEARER -> jwtBearer(form.getFirst("assertion"));
            default -> throw new OAuthError("unsupported_grant_type", "grant type not supported");
        };
        return tokenResponse(session, host);
    }

    private Sessions.Session clientCredentials(MultivaluedMap<String, String> form, String host, String basic) {
        String clientId = form.getFirst("client_id");
        String secret = form.getFirst("client_secret");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = pair[0];
            secret = pair.length > 1 ? pair[1] : null;
        }
        if (!hosts.isInstance(host)) {
            throw new OAuthError("invalid_grant", "request not supported on this domain");
        }
        String id = clientId;
        Org org = orgs.byConsumerKey(id).orElseThrow(() -> new OAuthError("invalid_client_id",
                "client identifier invalid"));
        if (!org.app().consumerSecret().equals(secret)) {
            throw new OAuthError("invalid_client", "invalid client credentials");
        }
        return sessions.open(org, org.integrationUser());
    }

    private Sessions.Session jwtBearer(String assertion) {
        if (assertion == null) {
            throw new OAuthError("invalid_request", "assertion is required");
        }
        try {
            JwtClaims unverified = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().processToClaims(assertion);
            Org org = orgs.byConsumerKey(unverified.getIssuer()).orElseThrow(() -> new OAuthError(
                    "invalid_client_id", "client identifier invalid"));
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKey(org.app().jwtKeys().getPublic())
                    .setExpectedAudience("https://login.salesforce.com", "https://test.salesforce.com",
                            "http://" + hosts.login())
                    .setRequireExpirationTime()
                    .setEvaluationTime(NumericDate.fromMilliseconds(clock.now().toEpochMilli()))
                    .build().processToClaims(assertion);
            if (claims.getExpirationTime().getValueInMillis()
                    > clock.now().plus(MAX_ASSERTION_LIFETIME).toEpochMilli()) {
                throw new OAuthError("invalid_grant", "invalid assertion: expiration too far in the future");
            }
            String username = claims.hasClaim("prn") ? claims.getStringClaimValue("prn") : claims.getSubject();
            User user = org.user(username == null ? "" : username)
                    .orElseThrow(() -> new OAuthError("invalid_grant", "user hasn't approved this consumer"));
            return sessions.open(org, user);
        } catch (InvalidJwtException e) {
            String reason = e.hasExpired() ? "expired assertion" : e.getErrorDetails().stream()
                    .anyMatch(d -> d.getErrorCode() == org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)
                    ? "audience is invalid" : "invalid assertion";
            throw new OAuthError("invalid_grant", reason);
        } catch (MalformedClaimException e) {
            throw new OAuthError("invalid_grant", "invalid assertion");
        }
    }

    private Map<String, Object> tokenResponse(Sessions.Session session, String host) {
        String issuedAt = Long.toString(session.issuedAt().toEpochMilli());
        String identity = identityUrl(session, host);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", session.token());
        body.put("signature", hmac(session.org().app().consumerSecret(), identity + issuedAt));
        body.put("scope", "api");
        body.put("instance_url", "http://" + hosts.instance() + port(host));
        body.put("id", identity);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        return body;
    }

    @POST
    @Path("services/oauth2/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(MultivaluedMap<String, String> form) {
        String token = form.getFirst("token");
        if (token == null || !sessions.revoke(token)) {
            throw new OAuthError("unsupported_token_type", "this token type is not supported");
        }
        return Response.ok().build();
    }

    @GET
    @Path("services/oauth2/userinfo")
    public Map<String, Object> userinfo(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Host") String host) {
        Sessions.Session session = sessions.require(authorization);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", identityUrl(session, host));
        body.put("user_id", session.user().id());
        body.put("organization_id", session.org().id());
        body.put("preferred_username", session.user().username());
        body.put("email", session.user().email());
        body.put("name", session.user().name());
        return body;
    }

    @GET
    @Path("id/{orgId}/{userId}")
    public Map<String, Object> identity(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Host") String host, @PathParam("orgId") String orgId, @PathParam("userId") String userId) {
        Sessions.Session session = sessions.require(authorization);
        if (!session.org().id().equals(orgId) || !session.user().id().equals(userId)) {
            throw new io.cosellsync.simulator.salesforce.api.RestError(403, "Forbidden", "Bad_Id");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", identityUrl(session, host));
        body.put("user_id", userId);
        body.put("organization_id", orgId);
        body.put("username", session.user().username());
        body.put("display_name", session.user().name());
        body.put("email", session.user().email());
        body.put("active", true);
        body.put("user_type", "STANDARD");
        body.put("urls", Map.of("rest", "http://" + hosts.instance() + port(host) + "/services/data/v{version}/"));
        return body;
    }

    private String identityUrl(Sessions.Session session, String host) {
        return "http://" + hosts.login() + port(host) + "/id/" + session.org().id() + "/" + session.user().id();
    }

    private static String port(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon > 0 && !hostHeader.endsWith("]") ? hostHeader.substring(colon) : "";
    }

    private static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
