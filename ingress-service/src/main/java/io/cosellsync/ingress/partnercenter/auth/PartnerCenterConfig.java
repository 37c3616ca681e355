package io.cosellsync.ingress.partnercenter.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How ingress reaches Partner Center and signs in to it ({@code ingress.partner-center.*}). Production defaults
 * point at Microsoft; the simulator is reached by changing the three URLs.
 */
@ConfigMapping(prefix = "ingress.partner-center")
public interface PartnerCenterConfig {

    /** Entra ID: {@code {authority}/{directory}/oauth2/v2.0/token} and {@code …/devicecode}. */
    @WithDefault("https://login.microsoftonline.com")
    URI authority();

    /** The Referrals API. */
    @WithDefault("https://api.partner.microsoft.com")
    URI apiUrl();

    /** The webhook registration API (its own host and token audience). */
    @WithDefault("https://api.partnercenter.microsoft.com")
    URI registrationUrl();

    /** Each served tenant's Entra app registration, by tenant id. */
    Map<String, App> tenants();

    /**
     * Base64 of the 256-bit AES key that encrypts stored refresh tokens (from a secret; env
     * {@code INGRESS_PARTNER_CENTER_CREDENTIAL_KEY}). Without it no credential can be stored or read.
     */
    Optional<String> credentialKey();

    /** How long before its expiry an access token is replaced. */
    @WithDefault("5m")
    Duration refreshBefore();

    /** How long an operator has to complete a device-code sign-in before ingress stops waiting. */
    @WithDefault("15m")
    Duration signInTimeout();

    /**
     * Whether a tenant that is not signed in (or whose token was refused) makes the service not ready. On by
     * default, so a broken credential is visible before sync silently stops.
     */
    @WithDefault("true")
    boolean readinessRequiresSignIn();

    interface App {
        /** The partner's Entra directory: its id, or {@code <name>.onmicrosoft.com}. */
        String directory();

        /** The app registration's client id. */
        String clientId();

        /** The client secret, for a confidential app registration; public clients have none. */
        Optional<String> clientSecret();
    }
}
