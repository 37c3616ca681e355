package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import io.cosellsync.simulator.partnercenter.auth.Directory;
import io.cosellsync.simulator.partnercenter.auth.Directory.Role;
import io.cosellsync.simulator.partnercenter.auth.Directory.User;
import io.cosellsync.simulator.partnercenter.auth.Tokens;
import io.cosellsync.simulator.partnercenter.faults.Fault;
import io.cosellsync.simulator.partnercenter.faults.Faults;
import io.cosellsync.simulator.partnercenter.faults.HeldCreates;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who is calling the Referrals API, from the bearer token, as production enforces it: only App+User (delegated)
 * tokens for the {@code https://api.partner.microsoft.com} audience, of a user holding the Referrals admin or
 * Referrals user role. Missing, expired, revoked, wrong-audience and app-only tokens are 401; a user without a
 * referrals role is 403.
 */
@ApplicationScoped
public class Caller {

    /** The caller: its partner organisation and the signed-in user. */
    public record Identity(Organization organization, User user) {

        /** Referrals admins write; Referrals users only read. */
        public void requireWriter() {
            if (user.role() != Role.REFERRALS_ADMIN) {
                throw new ApiException(403, "Forbidden", "the Referrals admin role is required to change referrals");
            }
        }

        /** Referrals users see only referrals whose team contains them. */
        public boolean canSee(JsonNode referral) {
            if (user.role() == Role.REFERRALS_ADMIN) {
                return true;
            }
            for (JsonNode member : referral.path("team")) {
                if (user.upn().equalsIgnoreCase(member.path("email").asText())) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Organizations organizations;
    private final Directory directory;
    private final Tokens tokens;
    private final Faults faults;
    private final HeldCreates held;
    private final boolean mfaRequired;

    public Caller(Organizations organizations, Directory directory, Tokens tokens, Faults faults, HeldCreates held,
            @ConfigProperty(name = "partner-center-sim.mfa-required", defaultValue = "true") boolean mfaRequired) {
        this.mfaRequired = mfaRequired;
        this.faults = faults;
        this.held = held;
        this.organizations = organizations;
        this.directory = directory;
        this.tokens = tokens;
    }

    public Identity identify(String authorization) {
        return identify(authorization, null);
    }

    /**
     * @param creating the body of a referral create, listed among the {@link HeldCreates} while latency holds it;
     *                 null for every other call
     */
    public Identity identify(String authorization, JsonNode creating) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("a bearer token is required");
        }
        Tokens.Principal principal = tokens.verify(authorization.substring(7).trim(), Tokens.REFERRALS_AUDIENCE,
                directory).orElseThrow(() -> unauthorized(
                        "the token is invalid, expired, revoked or not for https://api.partner.microsoft.com"));
        User user = principal.user().orElseThrow(() -> unauthorized(
                "an App+User (delegated) token is required; app-only tokens are not accepted"));
        if (mfaRequired && !principal.mfa()) {
            // enforced since 1 April 2026: the sign-in must have done MFA; refreshing a token never adds it
            throw new ApiException(401, "900421", "Multi-factor authentication is required for App+User calls;"
                    + " the token's amr claim has no mfa. Sign in again with multi-factor authentication.");
        }
        if (user.role() == Role.NONE) {
            throw new ApiException(403, "Forbidden", "the user holds neither the Referrals admin nor the Referrals"
                    + " user role");
        }
        Organization organization = organizations.of(principal.tenant().name()).orElseThrow(() -> unauthorized(
                "the token's tenant has no Partner Center account"));
        injectRequestFaults(organization.tenant(), creating);
        return new Identity(organization, user);
    }

    /** Latency, 503s and 429s for this tenant's Referrals API calls, when configured. */
    private void injectRequestFaults(String tenant, JsonNode creating) {
        long latency = faults.latency(tenant);
        if (latency > 0) {
            Runnable wait = () -> {
                try {
                    Thread.sleep(latency); // resource methods run on worker threads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            if (creating == null) {
                wait.run();
            } else {
                held.during(tenant, creating, wait);
            }
        }
        if (faults.fires(tenant, Fault.THROTTLE)) {
            throw new ApiException(429, "TooManyRequests", "Rate limit is exceeded. Try again in 2 seconds.")
                    .retryAfter(2);
        }
        if (faults.fires(tenant, Fault.SERVER_ERROR)) {
            throw new ApiException(503, "ServiceUnavailable", "The service is temporarily unavailable.");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "Unauthorized", message);
    }
}
