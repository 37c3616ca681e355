package io.cosellsync.salesforcewriter.deadletters;

import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.salesforcewriter.deadletters.DeadLetterIndex.Letter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Replays dead letters: each original record goes back to its original topic (or a named one) with its key, its
 * original headers and two more — {@code cosell_replay_of} (the letter) and {@code cosell_replay} (which replay) —
 * at most {@code perSecond} records a second. The record keeps its event id, so if it fails again it comes back as a
 * further failure of the same letter, open again. A letter already replayed, or discarded, is left alone unless
 * forced; a dry run changes nothing and says what a replay would do.
 */
@ApplicationScoped
public class DeadLetterReplay {

    /** What to replay: the letters named, or those the filter selects (open ones unless it says otherwise). */
    public record Request(List<String> ids, DeadLetterIndex.Filter filter, boolean dryRun, double perSecond,
            boolean force, String targetTopic) {
    }

    /** What a replay did (or, dry, would do): the letters sent, and those left alone with why. */
    public record Result(boolean dryRun, List<String> replayed, List<Map<String, String>> skipped) {
    }

    /** Letters whose send and record may overlap. */
    static final int IN_FLIGHT = 16;

    private final DeadLetterIndex index;
    private final MutinyEmitter<byte[]> replays;

    public DeadLetterReplay(DeadLetterIndex index, @Channel("replays") MutinyEmitter<byte[]> replays) {
        this.index = index;
        this.replays = replays;
    }

    public Uni<Result> replay(String tenant, String actor, Request request) {
        Uni<List<Letter>> chosen = request.ids() != null && !request.ids().isEmpty()
                ? Multi.createFrom().iterable(request.ids()).onItem()
                        .transformToUniAndConcatenate(id -> index.letter(tenant, id)
                                .map(found -> found.orElse(missing(tenant, id))))
                        .collect().asList()
                : index.list(request.filter());
        return chosen.chain(letters -> {
            List<Letter> due = new ArrayList<>();
            List<Map<String, String>> skipped = new ArrayList<>();
            for (Letter letter : letters) {
                String why = letter.service() == null ? "no such letter"
                        : letter.originalTopic() != null && letter.originalTopic().startsWith(
                                DeadLetter.PUBSUB_TOPIC_PREFIX) && (request.targetTopic() == null
                                        || request.targetTopic().isBlank())
                                ? "a Salesforce change event that could not be read, not a Kafka record: the"
                                        + " reconciliation owed when it was dead-lettered reads its records again"
                                        + " (discard it once checked)"
                        : request.force() ? null
                        : "replayed".equals(letter.state()) || "resolved".equals(letter.state())
                                ? "already " + letter.state() + " (force to replay again)"
                        : "discarded".equals(letter.state()) ? "discarded (force to replay)" : null;
                if (why == null) {
                    due.add(letter);
                } else {
                    skipped.add(Map.of("id", letter.letterId(), "why", why));
                }
            }
            List<String> ids = due.stream().map(Letter::letterId).toList();
            if (request.dryRun() || due.isEmpty()) {
                return Uni.createFrom().item(new Result(request.dryRun(), ids, skipped));
            }
            Duration gap = Duration.ofNanos((long) (1_000_000_000L / Math.max(0.1, request.perSecond())));
            // one letter per tick: at most perSecond a second, in the order chosen; when sending and recording a letter
            // takes longer than a tick, the ticks missed meanwhile are dropped (the replay is slower, never faster)
            return Multi.createBy().combining().streams(Multi.createFrom().ticks().every(gap).onOverflow().drop(),
                    Multi.createFrom().iterable(due)).asTuple()
                    // sent in tick order (the producer keeps one key's records in order); the broker's ack and the
                    // index's record of up to IN_FLIGHT letters overlap, so a letter's round trip does not cap the rate
                    .onItem().transformToUni(tick -> send(tick.getItem2(), actor, request.targetTopic()))
                    .merge(IN_FLIGHT)
                    .collect().last().replaceWith(new Result(false, ids, skipped));
        });
    }

    /**
     * Sends one record, then records the replay: a record sent but not recorded (the database failed just then) stays
     * open and may be sent again later, which the writers' idempotence absorbs; never the other way round.
     */
    private Uni<Void> send(Letter letter, String actor, String targetTopic) {
        String topic = targetTopic != null && !targetTopic.isBlank() ? targetTopic : letter.originalTopic();
        RecordHeaders headers = new RecordHeaders();
        letter.originalHeaders().forEach((name, value) -> headers.add(name, bytes(value)));
        headers.add("cosell_replay_of", bytes(letter.letterId()));
        headers.add("cosell_replay", bytes(Integer.toString(letter.replays() + 1)));
        byte[] payload = "base64".equals(letter.payloadEncoding())
                ? Base64.getDecoder().decode(letter.originalPayload())
                : letter.originalPayload() == null ? new byte[0] : bytes(letter.originalPayload());
        return replays.sendMessage(Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(topic).withKey(letter.originalKey()).withHeaders(headers).build()))
                .chain(() -> index.replayed(letter.tenant(), letter.letterId(), actor, "to " + topic))
                .replaceWithVoid();
    }

    private static Letter missing(String tenant, String id) {
        return new Letter(tenant, id, null, null, null, 0, 0, null, null, null, null, null, null, Map.of(), null,
                null, null, 0, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
