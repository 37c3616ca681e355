package io.cosellsync.ingress.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The operators' API ({@code /admin/…}). */
@ConfigMapping(prefix = "ingress.admin")
public interface AdminConfig {

    /**
     * The bearer key operators present ({@code Authorization: Bearer <key>}; from a secret, env
     * {@code INGRESS_ADMIN_API_KEY}). Without one the admin API answers 503: it is never open.
     */
    Optional<String> apiKey();
}
