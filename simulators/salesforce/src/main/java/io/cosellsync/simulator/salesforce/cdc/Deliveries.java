package io.cosellsync.simulator.salesforce.cdc;

import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import io.cosellsync.simulator.salesforce.auth.Sessions;
import io.cosellsync.simulator.salesforce.cdc.PubSubCaller.Caller;
import io.cosellsync.simulator.support.SimulatorClock;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The open {@code Subscribe} streams, all served by one thread: requests, new events and a tick every 200 ms (for
 * keepalives and idle closes on the simulator clock, and for sessions revoked under a stream) are queued to it, so
 * a stream's responses are never sent from two threads.
 */
@ApplicationScoped
public class Deliveries {

    private final ChangeEventBus bus;
    private final CdcSettings settings;
    private final Sessions sessions;
    private final SimulatorClock clock;
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pubsub-deliveries");
        t.setDaemon(true);
        return t;
    });

    public Deliveries(ChangeEventBus bus, CdcSettings settings, Sessions sessions, SimulatorClock clock) {
        this.bus = bus;
        this.settings = settings;
        this.sessions = sessions;
        this.clock = clock;
        // a burst of commits wakes the thread once, not once per commit
        bus.listen(() -> {
            if (woken.compareAndSet(false, true)) {
                thread.execute(() -> {
                    woken.set(false);
                    deliverAll();
                });
            }
        });
        bus.onRebuilt(tenant -> drop(s -> s.caller().tenant().equals(tenant), PubSubErrors.error(
                io.grpc.Status.Code.UNAVAILABLE, "service.unavailable", "The org was reset; subscribe again.")));
        thread.scheduleWithFixedDelay(this::deliverAll, 200, 200, TimeUnit.MILLISECONDS);
    }

    void shutdown(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    /** Opens a stream for this caller; returns what receives its requests. */
    StreamObserver<FetchRequest> open(Caller caller, StreamObserver<FetchResponse> responses) {
        Subscription subscription = new Subscription(caller, responses, bus, settings, clock.now());
        open.add(subscription);
        if (responses instanceof ServerCallStreamObserver<FetchResponse> call) {
            call.setOnCancelHandler(() -> thread.execute(() -> close(subscription)));
        }
        return new StreamObserver<>() {
            @Override
            public void onNext(FetchRequest request) {
                thread.execute(() -> {
                    subscription.request(request, clock.now());
                    if (subscription.closed()) {
                        open.remove(subscription);
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                thread.execute(() -> close(subscription));
            }

            @Override
            public void onCompleted() {
                thread.execute(() -> {
                    if (!subscription.closed()) {
                        subscription.cancelled();
                        responses.onCompleted();
                    }
                    open.remove(subscription);
                });
            }
        };
    }

    /** Ends the matching streams with this error (faults, an org rebuilt). Returns how many. */
    public int drop(Predicate<Subscription> which, StatusRuntimeException error) {
        int[] count = {0};
        try {
            thread.submit(() -> open.stream().filter(which).toList().forEach(s -> {
                s.fail(error);
                open.remove(s);
                count[0]++;
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return count[0];
    }

    /** Revokes the sessions the org's open streams were opened with; the next tick ends those streams. */
    public int revokeSessions(String tenant) {
        List<String> tokens = open.stream().filter(s -> s.caller().tenant().equals(tenant))
                .map(s -> s.caller().token()).distinct().toList();
        tokens.forEach(sessions::revoke);
        return tokens.size();
    }

    /** Open streams whose subscription has started (for tests and the control API). */
    public int openStreams(String tenant) {
        return (int) open.stream().filter(s -> s.caller().tenant().equals(tenant) && s.subscribed()).count();
    }

    private void deliverAll() {
        for (Subscription s : open) {
            if (!sessions.active(s.caller().token())) {
                s.fail(PubSubErrors.authError());
            } else {
                try {
                    s.deliver(clock.now());
                } catch (RuntimeException e) {
                    s.fail(io.grpc.Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
                }
            }
            if (s.closed()) {
                open.remove(s);
            }
        }
    }

    private void close(Subscription subscription) {
        subscription.cancelled();
        open.remove(subscription);
    }
}
