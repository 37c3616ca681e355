package io.cosellsync.simulator.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The credentials a simulator issued (access tokens, refresh tokens, sessions), the newest
 * {@value #KEPT} of each kind, so that a test can check that no log of the product contains any of them. The
 * simulator's control API lists them; a real identity provider, of course, has no such list.
 */
@ApplicationScoped
public class IssuedCredentials {

    static final int KEPT = 10_000;

    private final Map<String, Deque<String>> byKind = new ConcurrentHashMap<>();

    public void issued(String kind, String value) {
        if (value == null) {
            return;
        }
        Deque<String> values = byKind.computeIfAbsent(kind, k -> new ConcurrentLinkedDeque<>());
        values.addFirst(value);
        while (values.size() > KEPT) {
            values.pollLast();
        }
    }

    /** By kind, newest first. */
    public Map<String, List<String>> all() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        byKind.forEach((kind, values) -> out.put(kind, new ArrayList<>(values)));
        return out;
    }
}
