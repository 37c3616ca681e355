package io.cosellsync.ingress.partnercenter;

import io.cosellsync.ingress.webhook.WebhookAuthority;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The packaged Partner Center simulator for ingress: the shared launcher's settings under
 * {@code ingress.partner-center}, plus the registration API and an admin key; it signs webhooks with
 * {@link WebhookAuthority}'s root, which ingress trusts.
 */
public class PartnerCenterSimulator extends io.cosellsync.testing.PartnerCenterSimulator {

    public static final String ADMIN_KEY = "test-admin-key-" + Long.toHexString(new SecureRandom().nextLong());

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("config-prefix", "ingress.partner-center"));
    }

    @Override
    protected List<String> launchArguments() {
        Path[] root = WebhookAuthority.root();
        return List.of("-Dpartner-center-sim.webhooks.ca-certificate-file=" + root[0],
                "-Dpartner-center-sim.webhooks.ca-key-file=" + root[1]);
    }

    @Override
    public synchronized Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        config.put("ingress.partner-center.registration-url", registrationUrl());
        config.put("cosell.admin.api-key", ADMIN_KEY);
        return config;
    }
}
