package io.cosellsync.ingress.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** How Partner Center webhooks are received and verified ({@code ingress.webhooks.*}). */
@ConfigMapping(prefix = "ingress.webhooks")
public interface WebhookConfig {

    /** Hosts {@code X-MS-Certificate-Url} may name, over https; nothing is fetched from any other host. */
    @WithDefault("3psostorageacct.blob.core.windows.net")
    Set<String> certificateHosts();

    /** Hosts also allowed over plain http: only for the simulator, never in production. */
    Optional<Set<String>> plainHttpCertificateHosts();

    /**
     * PEM files of the roots (and any intermediates) a signing certificate must chain to. Unset: the JVM's trusted
     * roots. The simulator's root is exported at its {@code GET /_sim/webhooks/ca.pem}.
     */
    Optional<List<Path>> trustAnchors();

    /** The organisation ({@code O=}) the signing certificate's issuer must name. */
    @WithDefault("Microsoft Corporation")
    String issuerOrganization();

    /** Largest body accepted; a notification is a few hundred bytes. */
    @WithDefault("65536")
    int maxBodyBytes();

    @WithDefault("5s")
    Duration certificateFetchTimeout();

    /**
     * Where Partner Center reaches this service (e.g. {@code https://cosell.example.com}); each tenant's webhook is
     * {@code {public-url}/webhooks/partner-center/{tenant}}. Unset: no webhook is registered and the reconciliation
     * poller alone keeps Salesforce up to date (poller-only mode).
     */
    Optional<URI> publicUrl();

    /**
     * The public port: Partner Center's webhooks ({@code POST /webhooks/partner-center/{tenant}}) and nothing else —
     * every other path and method is 404 there, so the admin surface, health and metrics are never on it. The
     * chart's Ingress routes to this port only. 0: any free port (tests); -1: none (the service's own port still
     * takes webhooks, as it does inside the cluster).
     */
    @WithDefault("8088")
    int publicPort();

    /**
     * Webhook calls accepted per tenant and second (on either port), counted before the signature is checked; past
     * it 429 with {@code Retry-After}. Partner Center sends one per referral change.
     */
    @WithDefault("100")
    int ratePerSecond();

    /**
     * Tenants whose existing webhook registration (another integration's URL) this service may replace. For any
     * other tenant a foreign registration is left alone and reported.
     */
    Optional<Set<String>> takeOverRegistration();
}
