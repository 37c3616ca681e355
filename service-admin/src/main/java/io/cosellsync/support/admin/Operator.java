package io.cosellsync.support.admin;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who calls the admin surface and for which tenants: the role {@value #ALL_TENANTS} covers every tenant of the
 * release, {@code ops:<tenant>} one tenant. Letters that named no valid tenant ({@code -}) are for release-wide
 * operators only.
 *
 * @param name    the caller as the identity provider names it (or {@code admin-key})
 * @param all     whether the caller acts for every tenant
 * @param tenants the tenants the caller acts for when not all
 */
public record Operator(String name, boolean all, Set<String> tenants) {

    public static final String ALL_TENANTS = "ops";
    public static final String TENANT_ROLE_PREFIX = "ops:";

    public static Operator of(SecurityIdentity identity) {
        Set<String> tenants = new TreeSet<>();
        for (String role : identity.getRoles()) {
            if (role.startsWith(TENANT_ROLE_PREFIX) && role.length() > TENANT_ROLE_PREFIX.length()) {
                tenants.add(role.substring(TENANT_ROLE_PREFIX.length()));
            }
        }
        String name = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        return new Operator(name, identity.hasRole(ALL_TENANTS), Set.copyOf(tenants));
    }

    /** Whether this operator may see and act on the tenant's records. */
    public boolean mayActFor(String tenant) {
        return all || tenants.contains(tenant);
    }

    /** Whether this operator may act at all (holds one of the roles). */
    public boolean isOperator() {
        return all || !tenants.isEmpty();
    }

    /** The tenants a listing shows this operator: null for every tenant, else theirs. */
    public Collection<String> visibleTenants() {
        return all ? null : tenants;
    }
}
