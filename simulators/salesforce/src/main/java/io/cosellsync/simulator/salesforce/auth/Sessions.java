package io.cosellsync.simulator.salesforce.auth;

import io.cosellsync.simulator.support.IssuedCredentials;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.salesforce.api.RestError;
import io.cosellsync.simulator.salesforce.org.Orgs.Org;
import io.cosellsync.simulator.salesforce.org.Orgs.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions: opaque {@code 00D…!…} ids, valid until idle for the timeout (default 2 h, each call resets
 * it) or revoked. Expired and revoked sessions answer 401 {@code INVALID_SESSION_ID}.
 */
@ApplicationScoped
public class Sessions {

    public static final Duration IDLE_TIMEOUT = Duration.ofHours(2);

    public record Session(String token, Org org, User user, Instant issuedAt) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    private final SimulatorClock clock;
    private final IssuedCredentials issued;
    private final SecureRandom random = new SecureRandom();

    public Sessions(SimulatorClock clock, IssuedCredentials issued) {
        this.clock = clock;
        this.issued = issued;
    }

    public Session open(Org org, User user) {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        String token = org.id().substring(0, 15) + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(token, org, user, clock.now());
        sessions.put(token, session);
        lastUsed.put(token, clock.now());
        issued.issued("accessTokens", token);
        return session;
    }

    /** The session of an {@code Authorization: Bearer} header, touching its idle timer; 401 otherwise. */
    public Session require(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw RestError.invalidSession("Session expired or invalid");
        }
        String token = authorization.substring(7).trim();
        Session session = sessions.get(token);
        Instant now = clock.now();
        Instant used = lastUsed.get(token);
        if (session == null || used == null || now.isAfter(used.plus(IDLE_TIMEOUT))) {
            sessions.remove(token);
            lastUsed.remove(token);
            throw RestError.invalidSession("Session expired or invalid");
        }
        lastUsed.put(token, now);
        return session;
    }

    /** Whether a session is still valid, without touching its idle timer (a stream re-checking its caller). */
    public boolean active(String token) {
        Instant used = lastUsed.get(token);
        return sessions.containsKey(token) && used != null && !clock.now().isAfter(used.plus(IDLE_TIMEOUT));
    }

    public boolean revoke(String token) {
        lastUsed.remove(token);
        return sessions.remove(token) != null;
    }

    /** Revokes every session of an org; returns how many. */
    public int revokeAll(String orgId) {
        int[] count = {0};
        sessions.values().removeIf(s -> {
            boolean match = s.org().id().equals(orgId);
            if (match) {
                lastUsed.remove(s.token());
                count[0]++;
            }
            return match;
        });
        return count[0];
    }

    public void reset() {
        sessions.clear();
        lastUsed.clear();
    }
}
