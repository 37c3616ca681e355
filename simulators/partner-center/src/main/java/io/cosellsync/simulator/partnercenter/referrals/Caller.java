package io.cosellsync.simulator.partnercenter.referrals;

import io.cosellsync.simulator.partnercenter.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is calling. Interim until the token endpoint and App+User token checks exist (issue 4): the bearer token is
 * the tenant id of a seeded organisation. Missing or unknown tokens are 401, as the real API answers.
 */
@ApplicationScoped
public class Caller {

    private final Organizations organizations;

    public Caller(Organizations organizations) {
        this.organizations = organizations;
    }

    public Organization organization(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "Unauthorized", "a bearer token is required");
        }
        String token = authorization.substring(7).trim();
        return organizations.of(token)
                .orElseThrow(() -> new ApiException(401, "Unauthorized", "the token is not valid"));
    }
}
