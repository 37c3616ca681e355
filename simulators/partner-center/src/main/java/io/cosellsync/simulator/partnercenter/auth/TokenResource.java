package io.cosellsync.simulator.partnercenter.auth;

import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.auth.Directory.App;
import io.cosellsync.simulator.partnercenter.auth.Directory.Tenant;
import io.cosellsync.simulator.partnercenter.auth.Directory.User;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Entra-style identity endpoints of the simulated partner tenants: device code, authorization code, refresh
 * token (rotating) and client credentials grants on {@code /{tenant}/oauth2/v2.0/token}, the v1
 * {@code /{tenant}/oauth2/token} form with {@code resource=}, and the signing keys.
 */
@Path("/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final Directory directory;
    private final Tokens tokens;
    private final SimulatorClock clock;

    public TokenResource(Directory directory, Tokens tokens, SimulatorClock clock) {
        this.directory = directory;
        this.tokens = tokens;
        this.clock = clock;
    }

    @POST
    @Path("oauth2/v2.0/devicecode")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Map<String, Object> deviceCode(@PathParam("tenant") String tenantName, MultivaluedMap<String, String> form,
            @Context UriInfo uri) {
        Tenant tenant = tenant(tenantName);
        App app = app(tenant, form, false);
        Scope scope = Scope.parse(form.getFirst("scope"));
        Tokens.DeviceCode code = tokens.startDeviceFlow(tenant, app, scope.audience(), scope.offline());
        String verification = uri.getBaseUri() + "devicelogin";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_code", code.userCode());
        body.put("device_code", code.deviceCode());
        body.put("verification_uri", verification);
        body.put("expires_in", Tokens.CODE_LIFETIME.getSeconds());
        body.put("interval", 5);
        body.put("message", "To sign in, use a web browser to open the page " + verification + " and enter the code "
                + code.userCode() + " to authenticate.");
        return body;
    }

    /**
     * The browser step of the authorization code flow. The simulator shows no sign-in page: {@code login_hint}
     * names the user who signs in and consents; the answer is the redirect with the code.
     */
    @GET
    @Path("oauth2/v2.0/authorize")
    public Response authorize(@PathParam("tenant") String tenantName, @QueryParam("client_id") String clientId,
            @QueryParam("response_type") String responseType, @QueryParam("redirect_uri") String redirectUri,
            @QueryParam("scope") String scopeText, @QueryParam("state") String state,
            @QueryParam("login_hint") String loginHint) {
        Tenant tenant = tenant(tenantName);
        if (!tenant.app().clientId().equals(clientId)) {
            throw new TokenError(400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"
                    + clientId + "' was not found in the directory.");
        }
        if (!"code".equals(responseType)) {
            throw TokenError.invalidRequest("AADSTS900144: response_type must be 'code'");
        }
        if (redirectUri == null || !redirectUri.equals(tenant.app().redirectUri())) {
            throw TokenError.invalidRequest("AADSTS50011: The redirect URI specified in the request does not match"
                    + " the redirect URIs configured for the application.");
        }
        User user = Optional.ofNullable(loginHint).flatMap(tenant::user).orElseThrow(() -> TokenError
                .invalidRequest("AADSTS50058: the simulator signs in the user named by login_hint; none was given"
                        + " or it is unknown"));
        Scope scope = Scope.parse(scopeText);
        String code = tokens.startAuthorizationCode(tenant, tenant.app(), user, redirectUri, scope.audience(),
                scope.offline());
        UriBuilder target = UriBuilder.fromUri(redirectUri).queryParam("code", code);
        if (state != null) {
            target.queryParam("state", state);
        }
        return Response.status(302).location(target.build()).build();
    }

    @POST
    @Path("oauth2/v2.0/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Map<String, Object> tokenV2(@PathParam("tenant") String tenantName, MultivaluedMap<String, String> form) {
        return token(tenantName, form, false);
    }

    @POST
    @Path("oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Map<String, Object> tokenV1(@PathParam("tenant") String tenantName, MultivaluedMap<String, String> form) {
        return token(tenantName, form, true);
    }

    @GET
    @Path("discovery/v2.0/keys")
    public Map<String, Object> keys(@PathParam("tenant") String tenantName) {
        tenant(tenantName);
        return tokens.jwks();
    }

    private Map<String, Object> token(String tenantName, MultivaluedMap<String, String> form, boolean v1) {
        Tenant tenant = tenant(tenantName);
        String grant = form.getFirst("grant_type");
        if (grant == null) {
            throw TokenError.invalidRequest("AADSTS900144: The request body must contain the parameter"
                    + " 'grant_type'.");
        }
        Scope scope = v1 ? Scope.ofResource(form.getFirst("resource")) : null;
        Tokens.Issued issued = switch (grant) {
            case DEVICE_CODE_GRANT -> tokens.redeemDeviceCode(tenant, app(tenant, form, false),
                    required(form, "device_code"));
            case "authorization_code" -> tokens.redeemAuthorizationCode(tenant, app(tenant, form, true),
                    required(form, "code"), required(form, "redirect_uri"));
            case "refresh_token" -> tokens.refresh(tenant, app(tenant, form, false), required(form, "refresh_token"),
                    (scope != null ? scope : Scope.parse(form.getFirst("scope"))).audience());
            case "client_credentials" -> tokens.issueForApp(tenant, app(tenant, form, true),
                    (scope != null ? scope : Scope.parse(form.getFirst("scope"))).audience());
            default -> throw new TokenError(400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an"
                    + " unsupported grant type '" + grant + "'.");
        };
        return Tokens.body(issued, clock.now(), v1);
    }

    private Tenant tenant(String name) {
        return directory.tenant(name).orElseThrow(() -> new TokenError(400, "invalid_request", 90002,
                "AADSTS90002: Tenant '" + name + "' not found."));
    }

    /** The calling app; confidential flows also need its secret. */
    private static App app(Tenant tenant, MultivaluedMap<String, String> form, boolean secretRequired) {
        String clientId = required(form, "client_id");
        if (!tenant.app().clientId().equals(clientId)) {
            throw new TokenError(400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"
                    + clientId + "' was not found in the directory.");
        }
        String secret = form.getFirst("client_secret");
        if ((secretRequired || secret != null) && !tenant.app().clientSecret().equals(secret)) {
            throw TokenError.invalidClient("AADSTS7000215: Invalid client secret provided.");
        }
        return tenant.app();
    }

    private static String required(MultivaluedMap<String, String> form, String name) {
        String value = form.getFirst(name);
        if (value == null || value.isBlank()) {
            throw TokenError.invalidRequest("AADSTS900144: The request body must contain the parameter '" + name
                    + "'.");
        }
        return value;
    }

    /** What a token is for: an audience (resource) and whether a refresh token is wanted. */
    record Scope(String audience, boolean offline) {

        static Scope parse(String scope) {
            if (scope == null || scope.isBlank()) {
                throw TokenError.invalidRequest("AADSTS900144: The request body must contain the parameter 'scope'.");
            }
            List<String> parts = Arrays.asList(scope.trim().split("\\s+"));
            String audience = parts.stream().map(Scope::resourceOf).filter(Tokens.AUDIENCES::contains).findFirst()
                    .orElseThrow(() -> new TokenError(400, "invalid_scope", 70011, "AADSTS70011: The provided value"
                            + " for the input parameter 'scope' is not valid: '" + scope + "'."));
            return new Scope(audience, parts.contains("offline_access"));
        }

        static Scope ofResource(String resource) {
            if (resource == null || !Tokens.AUDIENCES.contains(resource.replaceAll("/$", ""))) {
                throw new TokenError(400, "invalid_resource", 500011, "AADSTS500011: The resource principal named '"
                        + resource + "' was not found in the tenant.");
            }
            // the v1 endpoint always returns a refresh token for delegated grants
            return new Scope(resource.replaceAll("/$", ""), true);
        }

        private static String resourceOf(String scope) {
            int slash = scope.lastIndexOf('/');
            return slash > "https://".length() ? scope.substring(0, slash) : scope;
        }
    }
}
