package io.cosellsync.support.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The operators' API ({@code /admin/…}) of every service that has one (ingress, salesforce-writer). */
@ConfigMapping(prefix = "cosell.admin")
public interface AdminConfig {

    /**
     * The bearer key operators present ({@code Authorization: Bearer <key>}; from a secret, env
     * {@code COSELL_ADMIN_API_KEY}). Without one the admin API answers 503: it is never open.
     */
    Optional<String> apiKey();
}
