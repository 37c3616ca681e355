package io.cosellsync.ingress.partnercenter.polling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.ingress.partnercenter.registration.WebhookRegistrar.State;
import org.junit.jupiter.api.Test;

/**
 * A referral shared while the webhook was not registered yet (the registration failed once, or raced the first
 * sign-in, while the backfill had already run) is polled as soon as the registration takes, not an interval later.
 */
class PollerScheduleTest {

    @Test
    void theFirstRegistrationThatTakesMakesThePollDueNow() {
        assertTrue(PollerSchedule.pollOnRegistration(false, State.REGISTERED));
        assertTrue(PollerSchedule.pollOnRegistration(false, State.TAKEN_OVER));
    }

    @Test
    void aRoutineRecheckOrNoWebhookAtAllLeavesTheIntervalAlone() {
        assertFalse(PollerSchedule.pollOnRegistration(true, State.REGISTERED));
        assertFalse(PollerSchedule.pollOnRegistration(false, State.CONFLICT));
        assertFalse(PollerSchedule.pollOnRegistration(false, State.POLLER_ONLY));
    }
}
