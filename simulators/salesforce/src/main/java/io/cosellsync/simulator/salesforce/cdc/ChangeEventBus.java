package io.cosellsync.simulator.salesforce.cdc;

import io.cosellsync.simulator.salesforce.data.Change;
import io.cosellsync.simulator.salesforce.org.OrgState;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Each org's event bus: every committed transaction becomes change events (one per record, several changes of a
 * record in one transaction folded into one with the final state), Avro-encoded with the object's schema, kept for
 * the retention on the simulator clock and addressed by opaque 8-byte replay ids.
 */
@ApplicationScoped
public class ChangeEventBus {

    /** A stored event: its place on the org's bus (never shown: clients see {@link #replayId}) and its message. */
    public record StoredEvent(long position, byte[] replayId, Instant committed, String entity, String changeType,
            String schemaId, byte[] payload, String eventId) {
    }

    /** One org's bus. */
    static final class OrgBus {
        final String tenant;
        final String orgId;
        final long salt = new SecureRandom().nextLong();
        final Map<String, ChangeEventSchema> schemas = new LinkedHashMap<>();
        final Deque<StoredEvent> events = new ArrayDeque<>();
        final Deque<Instant> deliveries = new ArrayDeque<>();
        long lastPosition;
        long commitNumber = 1_100_583_868_000L;

        OrgBus(String tenant, String orgId) {
            this.tenant = tenant;
            this.orgId = orgId;
        }
    }

    private final CdcSettings settings;
    private final SimulatorClock clock;
    private final Map<String, OrgBus> buses = new ConcurrentHashMap<>();
    private final Map<String, ChangeEventSchema> schemasById = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> rebuilt = new CopyOnWriteArrayList<>();

    public ChangeEventBus(CdcSettings settings, SimulatorClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts an empty bus for a (new or rebuilt) org and publishes its commits from now on. */
    public void attach(OrgState state) {
        OrgBus bus = new OrgBus(state.tenant(), state.org().id());
        for (String entity : settings.entities()) {
            Optional<SObjectType> type = state.schema().type(entity);
            if (type.isPresent()) {
                ChangeEventSchema schema = ChangeEventSchema.of(type.get());
                bus.schemas.put(type.get().name(), schema);
                schemasById.put(schema.id(), schema);
            }
        }
        boolean replaced = buses.put(state.tenant(), bus) != null;
        state.data().onCommit(changes -> publish(bus, changes));
        if (replaced) {
            rebuilt.forEach(r -> r.accept(state.tenant()));
        }
    }

    /** Called (on the committing thread) whenever events were added. */
    public void listen(Runnable listener) {
        listeners.add(listener);
    }

    /** Called with the tenant when an org was rebuilt empty: its replay ids mean nothing any more. */
    public void onRebuilt(java.util.function.Consumer<String> listener) {
        rebuilt.add(listener);
    }

    public Optional<ChangeEventSchema> schema(String schemaId) {
        return Optional.ofNullable(schemasById.get(schemaId));
    }

    /** The selected objects of an org and their schemas. */
    public Map<String, ChangeEventSchema> schemas(String tenant) {
        return Map.copyOf(bus(tenant).schemas);
    }

    /** The org's channels: {@code /data/ChangeEvents} and one per selected object, with the objects each carries. */
    public Optional<Set<String>> channel(String tenant, String topic) {
        OrgBus bus = bus(tenant);
        if ("/data/ChangeEvents".equals(topic)) {
            return Optional.of(Set.copyOf(bus.schemas.keySet()));
        }
        return bus.schemas.values().stream().filter(s -> topic.equals("/data/" + ChangeEventSchema.eventName(
                s.entity()))).map(s -> Set.of(s.entity())).findFirst();
    }

    public String orgId(String tenant) {
        return bus(tenant).orgId;
    }

    /** The position of the newest event (0 when none was ever published). */
    public long tip(String tenant) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            return bus.lastPosition;
        }
    }

    /** The oldest position still kept, less one: where EARLIEST starts after. */
    public long beforeOldest(String tenant) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            expire(bus);
            return bus.events.isEmpty() ? bus.lastPosition : bus.events.peekFirst().position() - 1;
        }
    }

    public byte[] replayId(String tenant, long position) {
        return ByteBuffer.allocate(8).putLong(position ^ bus(tenant).salt).array();
    }

    /**
     * The position a replay id names, when it names an event still kept (or the newest position); empty for ids
     * that are not this org's, were never issued, or whose event has expired.
     */
    public Optional<Long> position(String tenant, byte[] replayId) {
        if (replayId == null || replayId.length != 8) {
            return Optional.empty();
        }
        OrgBus bus = bus(tenant);
        long position = ByteBuffer.wrap(replayId).getLong() ^ bus.salt;
        synchronized (bus) {
            expire(bus);
            long oldest = bus.events.isEmpty() ? bus.lastPosition + 1 : bus.events.peekFirst().position();
            // an id is good while its event is kept; the newest one (handed out in keepalives) stays good
            return position >= oldest && position <= bus.lastPosition || position == bus.lastPosition
                    ? Optional.of(position) : Optional.empty();
        }
    }

    /** Up to {@code max} kept events after a position whose object is one of {@code entities}. */
    public List<StoredEvent> after(String tenant, long position, Collection<String> entities, int max) {
        OrgBus bus = bus(tenant);
        List<StoredEvent> out = new ArrayList<>();
        synchronized (bus) {
            expire(bus);
            for (StoredEvent e : bus.events) {
                if (out.size() >= max) {
                    break;
                }
                if (e.position() > position && entities.contains(e.entity())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Counts deliveries toward the org's rolling 24-hour allocation; false when it is used up. */
    public boolean deliver(String tenant, int events) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            Instant now = clock.now();
            while (!bus.deliveries.isEmpty() && bus.deliveries.peekFirst().isBefore(now.minusSeconds(86_400))) {
                bus.deliveries.removeFirst();
            }
            if (bus.deliveries.size() + events > settings.dailyDeliveryAllocation()) {
                return false;
            }
            for (int i = 0; i < events; i++) {
                bus.deliveries.addLast(now);
            }
            return true;
        }
    }

    /** Events delivered in the last 24 hours. */
    public long delivered(String tenant) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            return bus.deliveries.stream().filter(t -> t.isAfter(clock.now().minusSeconds(86_400))).count();
        }
    }

    private OrgBus bus(String tenant) {
        OrgBus bus = buses.get(tenant);
        if (bus == null) {
            throw new IllegalArgumentException("no org " + tenant);
        }
        return bus;
    }

    private void expire(OrgBus bus) {
        Instant horizon = clock.now().minus(settings.retention());
        while (!bus.events.isEmpty() && bus.events.peekFirst().committed().isBefore(horizon)) {
            bus.events.removeFirst();
        }
    }

    // ---- from commits to events ---------------------------------------------------------------------------------

    /** One committed transaction (called under the org's lock, in commit order). */
    private void publish(OrgBus bus, List<Change> transaction) {
        Map<String, Folded> byRecord = new LinkedHashMap<>();
        for (Change c : transaction) {
            if (!bus.schemas.containsKey(c.entityName())) {
                continue;
            }
            byRecord.computeIfAbsent(c.recordId(), id -> new Folded(c)).fold(c);
        }
        if (byRecord.isEmpty()) {
            return;
        }
        synchronized (bus) {
            int sequence = 0;
            long commitNumber = ++bus.commitNumber;
            for (Folded f : byRecord.values()) {
                ChangeEventSchema schema = bus.schemas.get(f.first.entityName());
                GenericData.Record event = event(schema, f, ++sequence, commitNumber);
                long position = ++bus.lastPosition;
                bus.events.addLast(new StoredEvent(position, replayId(bus.tenant, position), f.first
                        .commitTimestamp(), schema.entity(), f.type, schema.id(), encode(event),
                        UUID.randomUUID().toString()));
            }
            expire(bus);
        }
        listeners.forEach(Runnable::run);
    }

    /** The changes one transaction made to one record, folded into the one event Salesforce publishes for them. */
    private static final class Folded {
        final Change first;
        String type;
        final Map<String, Object> values = new LinkedHashMap<>();
        final List<String> changed = new ArrayList<>();

        Folded(Change first) {
            this.first = first;
            this.type = first.changeType();
        }

        void fold(Change c) {
            if (c != first) {
                // a create or undelete stays one (with the final values); a delete ends what came before
                if (c.changeType().equals("DELETE")) {
                    type = "DELETE";
                } else if (!type.equals("CREATE") && !type.equals("UNDELETE")) {
                    type = c.changeType();
                }
            }
            values.putAll(c.newValues());
            c.changedFields().forEach(f -> {
                if (!changed.contains(f)) {
                    changed.add(f);
                }
            });
        }
    }

    private static GenericData.Record event(ChangeEventSchema schema, Folded f, int sequence, long commitNumber) {
        Change c = f.first;
        boolean update = f.type.equals("UPDATE");
        Map<String, Object> values = f.type.equals("DELETE") ? Map.of() : f.values;
        GenericData.Record body = schema.body(values);
        GenericData.Record header = new GenericData.Record(schema.schema().getField("ChangeEventHeader").schema());
        header.put("entityName", schema.entity());
        header.put("recordIds", List.of(c.recordId()));
        header.put("changeType", new GenericData.EnumSymbol(header.getSchema().getField("changeType").schema(),
                f.type));
        header.put("changeOrigin", c.changeOrigin());
        header.put("transactionKey", c.transactionKey());
        header.put("sequenceNumber", sequence);
        header.put("commitTimestamp", c.commitTimestamp().toEpochMilli());
        header.put("commitNumber", commitNumber);
        header.put("commitUser", c.commitUser());
        List<String> nulled = update ? f.changed.stream().filter(n -> f.values.get(n) == null).toList() : List.of();
        header.put("nulledFields", schema.bitmap(nulled));
        header.put("diffFields", List.of());
        header.put("changedFields", update ? schema.bitmap(f.changed) : List.of());
        body.put("ChangeEventHeader", header);
        return body;
    }

    static byte[] encode(GenericData.Record record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericData.Record>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
