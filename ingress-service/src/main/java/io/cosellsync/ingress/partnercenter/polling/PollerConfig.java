package io.cosellsync.ingress.partnercenter.polling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The reconciliation poller ({@code ingress.poller.*}). */
@ConfigMapping(prefix = "ingress.poller")
public interface PollerConfig {

    /** How often each tenant's referrals are listed; a lost webhook is recovered within this. */
    @WithDefault("5m")
    Duration interval();

    /** How far before the watermark each run reads again (clock skew, transactions committing late). */
    @WithDefault("2m")
    Duration overlap();

    /** How often a replica tries to become, or checks that it still is, the tenant's leader. */
    @WithDefault("10s")
    Duration leaderCheck();

    /** Off: no polling at all (webhooks only). */
    @WithDefault("true")
    boolean enabled();
}
