package io.cosellsync.simulator.partnercenter.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Webhook settings of the simulator ({@code partner-center-sim.webhooks.*}). */
@ConfigMapping(prefix = "partner-center-sim.webhooks")
public interface WebhookSettings {

    /** Port of the registration API (Partner Center's own host, api.partnercenter.microsoft.com); 0 = any free. */
    @WithDefault("8092")
    int port();

    /** Base of the documented {@code ResourceUri} ({@code {base}/engagements/v1/referrals/{id}}). */
    @WithDefault("https://api.partnercenter.microsoft.com")
    String resourceBaseUrl();

    /** {@code X-MS-Certificate-Url} as receivers reach it; default: the registration port on 127.0.0.1. */
    java.util.Optional<String> certificateUrl();

    /** PEM certificate of a CA to issue the signing certificate from (with {@link #caKeyFile()}). */
    java.util.Optional<java.nio.file.Path> caCertificateFile();

    /** PEM private key (PKCS#8 or PKCS#1) of that CA. */
    java.util.Optional<java.nio.file.Path> caKeyFile();

    /** Delivery attempts before an event is dropped (Partner Center: 10). */
    @WithDefault("10")
    int maxAttempts();

    /** First retry delay; doubles per attempt. */
    @WithDefault("PT2S")
    Duration retryBase();
}
