package io.cosellsync.support.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which request paths the admin gate guards: every spelling of {@code /admin…}, and nothing else. */
class AdminSurfacePathTest {

    @Test
    void everySpellingOfAnAdminPathIsGuarded() {
        for (String path : new String[] {"/admin", "/admin/", "/admin/dead-letters", "//admin/dead-letters",
            "/admin//calls", "/q/../admin/calls", "/./admin/calls"}) {
            assertTrue(AdminSurface.isAdminPath(path), path);
        }
    }

    @Test
    void otherPathsAreNot() {
        for (String path : new String[] {"/", "/administrator", "/webhooks/partner-center/contoso", "/q/health/ready",
            "/admins/x"}) {
            assertFalse(AdminSurface.isAdminPath(path), path);
        }
        assertFalse(AdminSurface.isAdminPath(null));
    }
}
