package io.cosellsync.partnercenterwriter.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.ReferralsApi.Fetched;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentReferralsTest {

    private static final TenantId CONTOSO = TenantId.of("contoso");
    private static final TenantId FABRIKAM = TenantId.of("fabrikam");

    private static Fetched referral(String id, String eTag) throws Exception {
        JsonNode body = new ObjectMapper().readTree("{\"id\":\"" + id + "\",\"name\":\"Deal\",\"eTag\":\"" + eTag
                + "\"}");
        return new Fetched(body, eTag);
    }

    @Test
    void aReferralIsKeptWithItsETagForItsTenantOnlyUntilForgotten() throws Exception {
        RecentReferrals recent = new RecentReferrals(10, Duration.ofMinutes(30));
        recent.put(CONTOSO, referral("r-1", "e-1"));

        Fetched kept = recent.get(CONTOSO, "r-1").orElseThrow();
        assertEquals("e-1", kept.eTag());
        assertEquals("Deal", kept.referral().path("name").asText());
        assertTrue(recent.get(FABRIKAM, "r-1").isEmpty(), "another tenant's referral of the same id is not it");

        recent.put(CONTOSO, referral("r-1", "e-2"));
        assertEquals("e-2", recent.get(CONTOSO, "r-1").orElseThrow().eTag(), "the newest answer replaces it");
        recent.forget(CONTOSO, "r-1");
        assertTrue(recent.get(CONTOSO, "r-1").isEmpty());
    }

    @Test
    void anAnswerWithoutAnETagIsNotKeptAndSizeZeroKeepsNothing() throws Exception {
        RecentReferrals recent = new RecentReferrals(10, Duration.ofMinutes(30));
        recent.put(CONTOSO, new Fetched(referral("r-1", "e-1").referral(), null));
        assertTrue(recent.get(CONTOSO, "r-1").isEmpty(), "without an eTag it could not be sent with If-Match");

        RecentReferrals none = new RecentReferrals(0, Duration.ofMinutes(30));
        none.put(CONTOSO, referral("r-1", "e-1"));
        assertTrue(none.get(CONTOSO, "r-1").isEmpty());
    }
}
