package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.Samples;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A large replay: 1 000 upserts the salesforce-writer had dead-lettered (fabrikam's org refused them) are replayed
 * with the CLI at 100 records a second, after the cause was fixed. The CLI shows its progress; the replay keeps to
 * the rate; every letter ends resolved, replayed once, and every referral has exactly one opportunity.
 */
class MassReplayIT {

    private static final String TENANT = "fabrikam";
    private static final int LETTERS = 1000;
    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final URI MAPPER = URI.create("/cosell-sync/mapper-service");
    private static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.shared();
    }

    /** The dead letter the writer would have written for this command: the original record whole, with headers. */
    private static DeadLetter letter(UpsertOpportunityCommand command, Envelope envelope, long offset) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", envelope.id());
        headers.put("ce_type", envelope.type().ceType());
        headers.put("ce_source", envelope.source().toString());
        headers.put("ce_subject", envelope.subject());
        headers.put("ce_time", envelope.time().toString());
        headers.put("ce_tenant", TENANT);
        headers.put("ce_sourceversion", envelope.sourceVersion());
        headers.put("content-type", "application/json");
        return new DeadLetter("salesforce-writer", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Opportunity " + command
                .referralId() + ": Co-sell deals need a next step", Instant.now(), 1, COMMANDS, 0, offset,
                command.referralId(), envelope.id(), envelope.type().ceType(),
                new String(EventCodec.encode(command), StandardCharsets.UTF_8), "utf-8", headers);
    }

    @Test
    void aThousandLettersReplayedAtAHundredASecondAreAllResolvedOnce() throws Exception {
        String tag = "Mass" + Long.toString(System.nanoTime() & 0xffffff, 36);
        Instant since = Instant.now().minusSeconds(1);
        UpsertOpportunityCommand sample = Samples.sample(EventType.UPSERT_OPPORTUNITY, UpsertOpportunityCommand.class);
        KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + system.port(9092));
        try {
            for (int i = 0; i < LETTERS; i++) {
                String referralId = UUID.randomUUID().toString();
                Map<String, Object> fields = new HashMap<>(sample.opportunityFields());
                fields.put(sample.externalIdField(), referralId);
                fields.put("Name", tag + " deal " + i);
                UpsertOpportunityCommand command = new UpsertOpportunityCommand(referralId, sample.externalIdField(),
                        Instant.now(), false, fields, sample.createOnlyFields(), sample.latestFields(), null,
                        sample.account(), List.of(), null);
                Envelope original = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, referralId,
                        TenantId.of(TENANT), "\"etag-1\"");
                kafka.send(Topics.DEFAULT_PREFIX + Topics.SALESFORCE_WRITER_DLQ, Envelope.originating(
                        EventType.DEAD_LETTER, URI.create("/cosell-sync/salesforce-writer"), referralId,
                        TenantId.of(TENANT), null), letter(command, original, i));
            }
        } finally {
            kafka.close();
        }
        String open = "SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id = ? AND state = 'open'"
                + " AND reason LIKE ? AND last_failed_at >= ?::timestamptz";
        Awaitility.await("the letters indexed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> system.databaseCount(open, TENANT, "%Co-sell deals need a next step", since.toString())
                        == LETTERS);

        long started = System.nanoTime();
        AdminCli.Result replay = AdminCli.run(system, "dead-letters", "replay", TENANT, "--service",
                "salesforce-writer", "--reason", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "--since", since.toString(),
                "--rate", "100");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(0, replay.exit(), replay.err());
        assertTrue(replay.out().contains("replayed " + LETTERS + " letter(s)"), replay.out());
        List<String> progress = replay.err().lines().filter(l -> l.startsWith("replayed ")).toList();
        assertEquals("replayed " + LETTERS + "/" + LETTERS, progress.get(progress.size() - 1));
        assertTrue(progress.size() >= 10, "progress in steps of 100: " + progress);
        assertTrue(took.toMillis() >= 9_000, "1 000 records at 100/s take 10 s, not " + took);
        System.out.printf("replayed %d letters at 100/s in %d ms%n", LETTERS, took.toMillis());

        Awaitility.await("every letter resolved").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE"
                        + " tenant_id = ? AND state = 'resolved' AND reason LIKE ? AND last_failed_at >="
                        + " ?::timestamptz", TENANT, "%Co-sell deals need a next step", since.toString()) == LETTERS);
        assertEquals(0, system.databaseCount("SELECT count(*) FROM salesforce_writer.dead_letter WHERE tenant_id = ?"
                + " AND reason LIKE ? AND last_failed_at >= ?::timestamptz AND replays <> 1", TENANT,
                "%Co-sell deals need a next step", since.toString()), "each letter replayed once");
        List<JsonNode> opportunities = system.soql(TENANT, "SELECT Id, Referral_Identifier__c FROM Opportunity"
                + " WHERE Name LIKE '" + tag + " deal %'");
        Set<String> referrals = opportunities.stream().map(o -> o.path("Referral_Identifier__c").asText())
                .collect(Collectors.toSet());
        assertEquals(LETTERS, opportunities.size(), "one opportunity per referral");
        assertEquals(LETTERS, referrals.size(), "no referral twice");
    }
}
