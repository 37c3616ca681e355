package io.cosellsync.simulator.partnercenter.referrals;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The partner organisations the simulator hosts: two seeded tenants. */
@ApplicationScoped
public class Organizations {

    private final Map<String, Organization> byTenant = Map.of(
            "contoso", new Organization("contoso", "b97870f2-fb0f-4b44-b597-992d4ecbe23d", "Contoso", "6115379"),
            "fabrikam", new Organization("fabrikam", "4c1f2a7e-93d5-4f0b-9d8e-2a6b7c3e5f10", "Fabrikam Partners",
                    "6230418"));

    public Optional<Organization> of(String tenant) {
        return Optional.ofNullable(byTenant.get(tenant));
    }
}
