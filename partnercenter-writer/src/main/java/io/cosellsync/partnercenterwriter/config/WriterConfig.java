package io.cosellsync.partnercenterwriter.config;

import jakarta.validation.constraints.Pattern;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappingFileConverter;
import io.cosellsync.partnercenter.client.PartnerCenterSettings;
import io.cosellsync.support.persistence.DatabaseConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The partnercenter-writer's settings ({@code partnercenter-writer.*}). */
@ConfigMapping(prefix = "partnercenter-writer")
public interface WriterConfig {

    /**
     * Partner Center and the tenants' delegated credential: the same app registrations and credential key as
     * ingress's {@code ingress.partner-center.*}, since both use one stored sign-in per tenant (ADR 0003).
     */
    PartnerCenter partnerCenter();

    /**
     * While Partner Center cannot take a command (unavailable after all retries, or the tenant's credential needs an
     * operator), how long the writer waits before trying it again. Nothing is dead-lettered meanwhile.
     */
    @WithDefault("30s")
    Duration pause();

    /**
     * Only for the chaos suite's proof that it can fail (system-tests README): {@code true} makes a create ignore the
     * referral already recorded for its opportunity, i.e. switches the create's idempotency off, so a redelivered or
     * repeated create command makes another referral. Never set it anywhere else; the chart has no value for it.
     */
    @WithDefault("false")
    boolean brokenForChaosSuite();

    /** How often an update is re-read and re-diffed after Partner Center answered 412 (changed since read). */
    @WithDefault("5")
    int conflictAttempts();

    /**
     * When looking for a referral whose creation may have happened before a crash, referrals created this long
     * before the recorded intent are listed too (clock differences between us and Partner Center).
     */
    @WithDefault("5m")
    Duration recoveryMargin();

    /**
     * How many referrals, as this process last wrote or read them, are kept to diff the next update against without
     * a GET (0: read before every update). A kept one that Partner Center changed since costs a 412 and a read.
     */
    @WithDefault("2000")
    int recentReferrals();

    /** How long a kept referral is used; older ones are read again. */
    @WithDefault("30m")
    Duration recentReferralsFor();

    /**
     * The schema of the same release's ingress, whose {@code partner_center_credential} table holds the tenants'
     * sign-ins that this writer reads and rotates (ADR 0003).
     */
    @WithDefault("ingress")
    @Pattern(regexp = DatabaseConfig.SCHEMA_NAME, message = "must be a plain lower-case PostgreSQL identifier")
    String credentialSchema();

    /** By tenant id. */
    Map<String, Tenant> tenants();

    interface PartnerCenter extends PartnerCenterSettings {
    }

    interface Tenant {
        /**
         * Path of the tenant's mapping file (the mapper's; env {@code PARTNERCENTER_WRITER_TENANTS_<T>_MAPPING}):
         * how an opportunity's values are applied onto its referral, and the write-back field names.
         */
        @WithConverter(TenantMappingFileConverter.class)
        TenantMapping mapping();
    }
}
