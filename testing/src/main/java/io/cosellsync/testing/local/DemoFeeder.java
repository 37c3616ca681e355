package io.cosellsync.testing.local;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.Samples;
import java.net.URI;
import java.util.UUID;

/**
 * Puts demo data on the local system for {@code deploy/local/run.sh}: one referral snapshot per tenant, as ingress
 * would publish it. Until the simulators serve their APIs (issues 3-6) this is where demo data enters.
 *
 * <pre>DemoFeeder &lt;bootstrap-servers&gt; &lt;tenant,tenant…&gt;</pre>
 */
public final class DemoFeeder {

    private DemoFeeder() {
    }

    public static void main(String[] args) {
        ReferralSnapshot sample = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);
        try (KafkaTestClient kafka = new KafkaTestClient(args[0])) {
            for (String tenant : args[1].split(",")) {
                String referralId = UUID.randomUUID().toString();
                ReferralSnapshot referral = new ReferralSnapshot(referralId, sample.engagementId(),
                        sample.name() + " (" + tenant + " demo)", null, sample.organizationId(), sample.status(),
                        sample.substatus(), null, sample.type(), sample.qualification(), sample.direction(),
                        sample.createdDateTime(), sample.updatedDateTime(), null, sample.acceptedDateTime(), null,
                        "\"" + UUID.randomUUID() + "\"", sample.customer(), sample.consent(), sample.details(),
                        sample.team(), sample.inviteContext(), null, sample.referralLink().replace(
                                sample.referralId(), referralId));
                Envelope envelope = Envelope.originating(EventType.REFERRAL_SNAPSHOT,
                        URI.create("/cosell-sync/demo-feeder"), referralId, TenantId.of(tenant.trim()),
                        referral.eTag());
                kafka.send(Topics.DEFAULT_PREFIX + Topics.REFERRAL_SNAPSHOTS, envelope, referral);
                System.out.println("demo referral " + referralId + " published for tenant " + tenant.trim());
            }
        }
    }
}
