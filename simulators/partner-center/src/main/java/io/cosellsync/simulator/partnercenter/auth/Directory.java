package io.cosellsync.simulator.partnercenter.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The simulated Entra directories of the partner tenants: one app registration and three users each. Seeded, so
 * tests, the demo run and operators following the README all know them.
 */
@ApplicationScoped
public class Directory {

    public enum Role {
        REFERRALS_ADMIN,
        REFERRALS_USER,
        NONE
    }

    /** @param mfaEnrolled whether the user does multi-factor authentication when signing in interactively */
    public record User(String tenant, String objectId, String upn, String displayName, Role role,
            boolean mfaEnrolled) {
    }

    public record App(String tenant, String clientId, String clientSecret, String redirectUri) {
    }

    public record Tenant(String name, String directoryId, App app, List<User> users) {

        public Optional<User> user(String upnOrObjectId) {
            return users.stream().filter(u -> u.upn().equalsIgnoreCase(upnOrObjectId)
                    || u.objectId().equals(upnOrObjectId)).findFirst();
        }
    }

    private final List<Tenant> tenants = List.of(
            tenant("contoso", "8d2f0c51-3b1e-4a57-9c3d-6e2a1f4b7c90", "3f9e6c1a-0d4b-4e8f-a2c7-5b1d9e3f7a60",
                    "11111111-aaaa-4bbb-8ccc-000000000001", "contoso.example"),
            tenant("fabrikam", "5a7c3e91-2d4f-4b6a-8e1c-9f0b3d5a7c21", "7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d50",
                    "22222222-aaaa-4bbb-8ccc-000000000001", "fabrikam-partners.example"));

    private static Tenant tenant(String name, String directoryId, String clientId, String userIdBase, String domain) {
        App app = new App(name, clientId, name + "-integration-secret", "http://localhost:8400/callback");
        String prefix = userIdBase.substring(0, userIdBase.length() - 1);
        return new Tenant(name, directoryId, app, List.of(
                new User(name, prefix + "1", "integration@" + domain, "Co-sell integration", Role.REFERRALS_ADMIN,
                        true),
                new User(name, prefix + "2", "sam.lee@" + domain, "Sam Lee", Role.REFERRALS_USER, true),
                new User(name, prefix + "3", "guest@" + domain, "Guest", Role.NONE, true),
                // an older service account never enrolled in MFA: its sign-ins carry no MFA claim
                new User(name, prefix + "4", "legacy-integration@" + domain, "Legacy integration (no MFA)",
                        Role.REFERRALS_ADMIN, false)));
    }

    /** By tenant name, directory id or a {@code <name>.onmicrosoft.com} domain, as Entra's URLs accept. */
    public Optional<Tenant> tenant(String nameOrId) {
        String key = nameOrId.toLowerCase(java.util.Locale.ROOT).replace(".onmicrosoft.com", "");
        return tenants.stream().filter(t -> t.name().equals(key) || t.directoryId().equals(key)).findFirst();
    }

    public List<Tenant> all() {
        return tenants;
    }
}
