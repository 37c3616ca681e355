package io.cosellsync.partnercenter.client;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How a service reaches Partner Center and redeems the tenant's delegated credential: what each service's
 * {@code @ConfigMapping} extends ({@code ingress.partner-center.*}, {@code partnercenter-writer.partner-center.*}).
 * Production defaults point at Microsoft; the simulator is reached by changing the URLs. Both services must be given
 * the same app registrations and credential key: they share one stored sign-in per tenant (ADR 0003).
 */
public interface PartnerCenterSettings {

    /** Entra ID: {@code {authority}/{directory}/oauth2/v2.0/token} and {@code …/devicecode}. */
    @WithDefault("https://login.microsoftonline.com")
    URI authority();

    /** The Referrals API. */
    @WithDefault("https://api.partner.microsoft.com")
    URI apiUrl();

    /** Each served tenant's Entra app registration, by tenant id. */
    Map<String, App> tenants();

    /**
     * Base64 of the 256-bit AES key that encrypts stored refresh tokens (from a secret). Without it no credential can
     * be stored or read.
     */
    Optional<String> credentialKey();

    /** How long before its expiry an access token is replaced. */
    @WithDefault("5m")
    Duration refreshBefore();

    /** How long an operator has to complete a device-code sign-in before the service stops waiting. */
    @WithDefault("15m")
    Duration signInTimeout();

    interface App {
        /** The partner's Entra directory: its id, or {@code <name>.onmicrosoft.com}. */
        String directory();

        /** The app registration's client id. */
        String clientId();

        /** The client secret, for a confidential app registration; public clients have none. */
        Optional<String> clientSecret();
    }
}
