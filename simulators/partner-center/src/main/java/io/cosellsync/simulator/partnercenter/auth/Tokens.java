package io.cosellsync.simulator.partnercenter.auth;

import io.cosellsync.simulator.support.IssuedCredentials;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.faults.Fault;
import io.cosellsync.simulator.partnercenter.faults.Faults;
import io.cosellsync.simulator.partnercenter.auth.Directory.App;
import io.cosellsync.simulator.partnercenter.auth.Directory.Tenant;
import io.cosellsync.simulator.partnercenter.auth.Directory.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * Issues and checks Entra-style tokens: RS256 access tokens with {@code aud}, {@code tid}, {@code oid},
 * {@code upn}, {@code idtyp}; opaque refresh tokens that rotate on every use (the old one stays valid for a short
 * grace period, then is revoked); device codes and authorization codes. Time is the simulator clock.
 */
@ApplicationScoped
public class Tokens {

    public static final String REFERRALS_AUDIENCE = "https://api.partner.microsoft.com";
    public static final String PARTNER_CENTER_AUDIENCE = "https://api.partnercenter.microsoft.com";
    public static final Set<String> AUDIENCES = Set.of(REFERRALS_AUDIENCE, PARTNER_CENTER_AUDIENCE);
    public static final Duration ACCESS_LIFETIME = Duration.ofHours(1);
    public static final Duration REFRESH_LIFETIME = Duration.ofDays(90);
    public static final Duration ROTATION_GRACE = Duration.ofSeconds(30);
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(15);

    /** Who a verified access token speaks for; {@code user} is empty for app-only tokens. */
    /** @param mfa whether the token's {@code amr} claim says the sign-in did multi-factor authentication */
    public record Principal(Tenant tenant, String clientId, Optional<User> user, String audience, String tokenId,
            boolean mfa) {
    }

    public record Issued(String accessToken, String refreshToken, String audience, Instant expiresAt) {
    }

    /** @param mfa whether the sign-in the grant came from did MFA: a refresh keeps that, it never adds it */
    record RefreshGrant(String tenant, String userId, String clientId, Instant issuedAt, Instant expiresAt,
            Instant retiredAt, boolean revoked, boolean mfa) {
    }

    public record DeviceCode(String deviceCode, String userCode, String tenant, String clientId, String audience,
            boolean offline, Instant expiresAt, String approvedUser, boolean redeemed) {
    }

    record AuthCode(String tenant, String clientId, String userId, String redirectUri, String audience,
            boolean offline, Instant expiresAt) {
    }

    private final SimulatorClock clock;
    private final RsaJsonWebKey signingKey;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, DeviceCode> deviceCodes = new ConcurrentHashMap<>();
    private final Map<String, AuthCode> authCodes = new ConcurrentHashMap<>();
    private final Set<String> revokedTokenIds = ConcurrentHashMap.newKeySet();
    /** Per user object id: access tokens issued at or before this instant are revoked. */
    private final Map<String, Instant> userRevokedAt = new ConcurrentHashMap<>();

    private final Faults faults;
    private final IssuedCredentials issued;

    public Tokens(SimulatorClock clock, Faults faults, IssuedCredentials issued) throws JoseException {
        this.clock = clock;
        this.faults = faults;
        this.issued = issued;
        this.signingKey = RsaJwkGenerator.generateJwk(2048);
        this.signingKey.setKeyId(UUID.randomUUID().toString());
    }

    /** The public signing key as a JWKS document, as Entra publishes it. */
    public Map<String, Object> jwks() {
        return Map.of("keys", java.util.List.of(signingKey.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel
                .PUBLIC_ONLY)));
    }

    /** @param mfa whether the sign-in did multi-factor authentication (the token's {@code amr} says so) */
    public Issued issueForUser(Tenant tenant, App app, User user, String audience, boolean offline, boolean mfa) {
        String refresh = null;
        if (offline) {
            refresh = opaque();
            refreshTokens.put(refresh, new RefreshGrant(tenant.name(), user.objectId(), app.clientId(), clock.now(),
                    clock.now().plus(REFRESH_LIFETIME), null, false, mfa));
        }
        Issued out = new Issued(sign(tenant, app, user, audience, mfa), refresh, audience,
                clock.now().plus(ACCESS_LIFETIME));
        issued.issued("accessTokens", out.accessToken());
        issued.issued("refreshTokens", out.refreshToken());
        return out;
    }

    public Issued issueForApp(Tenant tenant, App app, String audience) {
        Issued out = new Issued(sign(tenant, app, null, audience, false), null, audience,
                clock.now().plus(ACCESS_LIFETIME));
        issued.issued("accessTokens", out.accessToken());
        return out;
    }

    /** Redeems a refresh token: new access and refresh tokens; the used one retires after the grace period. */
    public Issued refresh(Tenant tenant, App app, String refreshToken, String audience) {
        Instant now = clock.now();
        RefreshGrant[] used = new RefreshGrant[1];
        refreshTokens.compute(refreshToken, (token, grant) -> {
            if (grant == null || !grant.tenant().equals(tenant.name()) || !grant.clientId().equals(app.clientId())) {
                throw TokenError.invalidGrant("AADSTS9002313: Invalid request. The refresh token is malformed or"
                        + " not valid for this client.");
            }
            if (grant.revoked() || now.isAfter(grant.expiresAt())
                    || faults.fires(tenant.name(), Fault.REFRESH_TOKEN_REVOCATION)
                    || (grant.retiredAt() != null && now.isAfter(grant.retiredAt().plus(ROTATION_GRACE)))) {
                throw TokenError.invalidGrant("AADSTS700082: The refresh token has expired or was revoked.");
            }
            used[0] = grant;
            return grant.retiredAt() != null ? grant : new RefreshGrant(grant.tenant(), grant.userId(),
                    grant.clientId(), grant.issuedAt(), grant.expiresAt(), now, false, grant.mfa());
        });
        User user = tenant.user(used[0].userId()).orElseThrow(
                () -> TokenError.invalidGrant("AADSTS50020: The user no longer exists."));
        return issueForUser(tenant, app, user, audience, true, used[0].mfa());
    }

    public DeviceCode startDeviceFlow(Tenant tenant, App app, String audience, boolean offline) {
        String userCode = (opaque().replaceAll("[^A-Z0-9]", "") + "XXXXXXXXX").substring(0, 9).toUpperCase();
        DeviceCode code = new DeviceCode(opaque(), userCode, tenant.name(), app.clientId(), audience, offline,
                clock.now().plus(CODE_LIFETIME), null, false);
        deviceCodes.put(code.deviceCode(), code);
        return code;
    }

    /** The browser step of the device flow: a user enters the code and signs in. */
    public void approveDevice(String userCode, User user) {
        DeviceCode code = deviceCodes.values().stream().filter(c -> c.userCode().equalsIgnoreCase(userCode))
                .findFirst().orElseThrow(() -> TokenError.invalidGrant("AADSTS70000: unknown user code"));
        if (!code.tenant().equals(user.tenant())) {
            throw TokenError.invalidGrant("AADSTS50020: the user is not in the tenant that started the sign-in");
        }
        deviceCodes.put(code.deviceCode(), new DeviceCode(code.deviceCode(), code.userCode(), code.tenant(),
                code.clientId(), code.audience(), code.offline(), code.expiresAt(), user.objectId(), false));
    }

    public Issued redeemDeviceCode(Tenant tenant, App app, String deviceCode) {
        DeviceCode code = deviceCodes.get(deviceCode);
        if (code == null || !code.tenant().equals(tenant.name()) || !code.clientId().equals(app.clientId())) {
            throw TokenError.invalidGrant("AADSTS70000: the device code is not valid");
        }
        if (clock.now().isAfter(code.expiresAt())) {
            throw new TokenError(400, "expired_token", 70020, "AADSTS70020: The provided value for the input"
                    + " parameter 'device_code' is not valid. This device code has expired.");
        }
        if (code.redeemed()) {
            throw TokenError.invalidGrant("AADSTS54005: the device code was already redeemed");
        }
        if (code.approvedUser() == null) {
            throw new TokenError(400, "authorization_pending", 70016, "AADSTS70016: OAuth 2.0 device flow error."
                    + " Authorization is pending. Continue polling.");
        }
        deviceCodes.put(deviceCode, new DeviceCode(code.deviceCode(), code.userCode(), code.tenant(),
                code.clientId(), code.audience(), code.offline(), code.expiresAt(), code.approvedUser(), true));
        User user = tenant.user(code.approvedUser()).orElseThrow();
        // the interactive step: an enrolled user does MFA there
        return issueForUser(tenant, app, user, code.audience(), code.offline(), user.mfaEnrolled());
    }

    public String startAuthorizationCode(Tenant tenant, App app, User user, String redirectUri, String audience,
            boolean offline) {
        String code = opaque();
        authCodes.put(code, new AuthCode(tenant.name(), app.clientId(), user.objectId(), redirectUri, audience,
                offline, clock.now().plus(Duration.ofMinutes(10))));
        return code;
    }

    public Issued redeemAuthorizationCode(Tenant tenant, App app, String code, String redirectUri) {
        AuthCode grant = authCodes.remove(code);
        if (grant == null || !grant.tenant().equals(tenant.name()) || !grant.clientId().equals(app.clientId())
                || clock.now().isAfter(grant.expiresAt())) {
            throw TokenError.invalidGrant("AADSTS70008: The provided authorization code or refresh token has expired"
                    + " or was already used.");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw TokenError.invalidGrant("AADSTS50148: The redirect_uri does not match the authorization request.");
        }
        User user = tenant.user(grant.userId()).orElseThrow();
        return issueForUser(tenant, app, user, grant.audience(), grant.offline(), user.mfaEnrolled());
    }

    /** Verifies signature, expiry (simulator clock), audience and revocation; empty when the token is not valid. */
    public Optional<Principal> verify(String token, String audience, Directory directory) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(signingKey.getPublicKey())
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.now().toEpochMilli()))
                .setAllowedClockSkewInSeconds(0)
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            if (revokedTokenIds.contains(claims.getJwtId())) {
                return Optional.empty();
            }
            Instant revokedAt = userRevokedAt.get(claims.getStringClaimValue("oid"));
            if (revokedAt != null && !Instant.ofEpochMilli(claims.getIssuedAt().getValueInMillis()).isAfter(revokedAt)) {
                return Optional.empty();
            }
            Tenant tenant = directory.tenant(claims.getStringClaimValue("tid")).orElse(null);
            if (tenant == null || faults.fires(tenant.name(), Fault.ACCESS_TOKEN_REVOCATION)) {
                return Optional.empty();
            }
            Optional<User> user = "user".equals(claims.getStringClaimValue("idtyp"))
                    ? tenant.user(claims.getStringClaimValue("oid")) : Optional.empty();
            boolean mfa = claims.hasClaim("amr") && claims.getStringListClaimValue("amr").contains("mfa");
            return Optional.of(new Principal(tenant, claims.getStringClaimValue("appid"), user, audience,
                    claims.getJwtId(), mfa));
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }

    /** Revokes an access token (by its {@code jti}) and, for a user, every refresh token of that user. */
    public void revokeAccessToken(String tokenId) {
        revokedTokenIds.add(tokenId);
    }

    /** Revokes everything a user holds: their access tokens issued so far and all their refresh tokens. */
    public int revokeUser(String tenant, String userId) {
        userRevokedAt.put(userId, clock.now());
        return revokeRefreshTokens(tenant, userId);
    }

    public int revokeRefreshTokens(String tenant, String userId) {
        int[] count = {0};
        refreshTokens.replaceAll((token, grant) -> {
            if (grant.tenant().equals(tenant) && (userId == null || grant.userId().equals(userId))
                    && !grant.revoked()) {
                count[0]++;
                return new RefreshGrant(grant.tenant(), grant.userId(), grant.clientId(), grant.issuedAt(),
                        grant.expiresAt(), grant.retiredAt(), true, grant.mfa());
            }
            return grant;
        });
        return count[0];
    }

    public void reset() {
        refreshTokens.clear();
        deviceCodes.clear();
        authCodes.clear();
        revokedTokenIds.clear();
        userRevokedAt.clear();
    }

    private String sign(Tenant tenant, App app, User user, String audience, boolean mfa) {
        Instant now = clock.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://sts.windows.net/" + tenant.directoryId() + "/");
        claims.setAudience(audience);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setNotBefore(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(now.plus(ACCESS_LIFETIME).toEpochMilli()));
        claims.setClaim("tid", tenant.directoryId());
        claims.setClaim("appid", app.clientId());
        claims.setClaim("ver", "1.0");
        if (user != null) {
            claims.setClaim("idtyp", "user");
            claims.setClaim("oid", user.objectId());
            claims.setClaim("upn", user.upn());
            claims.setClaim("name", user.displayName());
            claims.setClaim("scp", "user_impersonation");
            claims.setStringListClaim("amr", mfa ? List.of("pwd", "mfa") : List.of("pwd"));
        } else {
            claims.setClaim("idtyp", "app");
            claims.setClaim("oid", app.clientId());
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey.getPrivateKey());
        jws.setKeyIdHeaderValue(signingKey.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private String opaque() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Token response fields shared by the v1 and v2 endpoints. */
    public static Map<String, Object> body(Issued issued, Instant now, boolean v1) {
        Map<String, Object> body = new LinkedHashMap<>();
        long expiresIn = (Duration.between(now, issued.expiresAt()).toMillis() + 999) / 1000;
        body.put("token_type", "Bearer");
        if (v1) {
            body.put("expires_in", Long.toString(expiresIn));
            body.put("ext_expires_in", Long.toString(expiresIn));
            body.put("expires_on", Long.toString(issued.expiresAt().getEpochSecond()));
            body.put("not_before", Long.toString(now.getEpochSecond()));
            body.put("resource", issued.audience());
        } else {
            body.put("scope", issued.audience() + "/user_impersonation");
            body.put("expires_in", expiresIn);
            body.put("ext_expires_in", expiresIn);
        }
        body.put("access_token", issued.accessToken());
        if (issued.refreshToken() != null) {
            body.put("refresh_token", issued.refreshToken());
        }
        return body;
    }
}
