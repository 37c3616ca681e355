package io.cosellsync.support.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The operators' admin surface ({@code /admin/…}) of every service that has one (ingress, salesforce-writer). It is
 * open to bearer tokens of the release's identity provider (quarkus-oidc: {@code quarkus.oidc.*}, roles {@code ops}
 * and {@code ops:<tenant>}) and, for the local run, to one static key.
 */
@ConfigMapping(prefix = "cosell.admin")
public interface AdminConfig {

    /**
     * A static bearer key ({@code Authorization: Bearer <key>}; from a secret, env {@code COSELL_ADMIN_API_KEY}) that
     * acts with the role {@code ops} over every tenant of the process. Meant for the local run; a release signs its
     * operators in with tokens instead. With neither a key nor an identity provider the admin surface answers 503:
     * it is never open.
     */
    Optional<String> apiKey();
}
