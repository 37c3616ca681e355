package io.cosellsync.simulator.partnercenter.webhooks;

import java.time.Instant;
import java.util.List;

/** A partner tenant's one webhook registration. */
public record Registration(String subscriberId, String webhookUrl, List<String> webhookEvents,
        boolean signatureTokenToMsSignatureHeader, Instant lastModifiedTimestamp) {
}
