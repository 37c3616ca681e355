package io.cosellsync.partnercenterwriter.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.ReferralsApi.Fetched;
import io.cosellsync.partnercenterwriter.config.WriterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * The referrals this process last wrote or read, with their eTags, so that an update can be diffed and sent with
 * If-Match without reading the referral first. Safe because of the If-Match: a referral Partner Center changed since
 * is refused (412), forgotten and read again. Kept as JSON text (a few kilobytes each), at most
 * {@code recent-referrals} of them, each for {@code recent-referrals-for}; keyed by tenant and referral id.
 */
@ApplicationScoped
public class RecentReferrals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String tenant, String referralId) {
    }

    private record Kept(String referral, String eTag) {
    }

    private final Cache<Key, Kept> kept;

    @Inject
    public RecentReferrals(WriterConfig config) {
        this(config.recentReferrals(), config.recentReferralsFor());
    }

    RecentReferrals(int size, Duration keptFor) {
        // executor: evictions run on the calling thread, not on the common pool (one thread on two cores)
        this.kept = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(keptFor).executor(Runnable::run)
                .build();
    }

    /** The referral as last seen here, if kept. */
    public Optional<Fetched> get(TenantId tenant, String referralId) {
        Kept k = kept.getIfPresent(new Key(tenant.value(), referralId));
        if (k == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Fetched(JSON.readTree(k.referral()), k.eTag()));
        } catch (JsonProcessingException e) {
            forget(tenant, referralId);
            return Optional.empty();
        }
    }

    /** Keeps what Partner Center answered (a read, a create or a PATCH); one without an eTag is not kept. */
    public void put(TenantId tenant, Fetched fetched) {
        String id = fetched.referral().path("id").asText(null);
        if (id == null || fetched.eTag() == null) {
            return;
        }
        kept.put(new Key(tenant.value(), id), new Kept(fetched.referral().toString(), fetched.eTag()));
    }

    public void forget(TenantId tenant, String referralId) {
        kept.invalidate(new Key(tenant.value(), referralId));
    }
}
