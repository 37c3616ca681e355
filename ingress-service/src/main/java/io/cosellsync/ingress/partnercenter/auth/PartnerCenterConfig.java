package io.cosellsync.ingress.partnercenter.auth;

import io.cosellsync.partnercenter.client.PartnerCenterSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;

/**
 * How ingress reaches Partner Center and signs in to it ({@code ingress.partner-center.*}): the shared client
 * settings (env {@code INGRESS_PARTNER_CENTER_CREDENTIAL_KEY} for the key) and what only ingress does.
 */
@ConfigMapping(prefix = "ingress.partner-center")
public interface PartnerCenterConfig extends PartnerCenterSettings {

    /** The webhook registration API (its own host and token audience). */
    @WithDefault("https://api.partnercenter.microsoft.com")
    URI registrationUrl();
}
