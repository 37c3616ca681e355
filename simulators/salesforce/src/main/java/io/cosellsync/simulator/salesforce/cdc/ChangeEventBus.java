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
            String schemaId, byte[] payload, String eventId, Set<String> customChannels) {
    }

    /**
     * A channel: {@code /data/ChangeEvents}, {@code /data/<Object>ChangeEvent}, or a custom {@code /data/<Name>__chn}
     * whose members' filters decided, when each event was published, whether it is on the channel.
     */
    public record Channel(String name, Set<String> entities, boolean custom) {
        boolean carries(StoredEvent e) {
            return custom ? e.customChannels().contains(name) : entities.contains(e.entity());
        }
    }

    /** A custom channel's member: an object and an optional filter (a SOQL WHERE expression). */
    public record Member(String entity, String filter) {
    }

    /** One org's bus. */
    static final class OrgBus {
        final String tenant;
        final String orgId;
        /**
         * Replay ids are {@code base + position}: increasing like Salesforce's, opaque, different per org, and below
         * 2^53, so a client that keeps them as a JavaScript number (a double) can still resume from one.
         */
        final long base = (1L << 40) + new SecureRandom().nextLong((1L << 48) - (1L << 40));
        /** The selected objects' schemas: replaced whole when the selection changes, never changed in place. */
        volatile Map<String, ChangeEventSchema> schemas = Map.of();
        /** Kept events, oldest first; their positions are consecutive, so a position is an index. */
        final List<StoredEvent> events = new ArrayList<>();
        final Deque<Instant> deliveries = new ArrayDeque<>();
        final String integrationUserId;
        final OrgState state;
        final Map<String, List<Member>> customChannels = new LinkedHashMap<>();
        final Map<String, Map<String, java.util.function.Predicate<io.cosellsync.simulator.salesforce.data.Row>>>
                filters = new LinkedHashMap<>();
        final Map<PubSubFault, Integer> injected = new java.util.EnumMap<>(PubSubFault.class);
        long lastPosition;
        long commitNumber = 1_100_583_868_000L;
        /** Positions up to here were expired by a fault (-1: none). */
        long floor = -1;
        boolean mergeNext;
        java.time.Duration delay = java.time.Duration.ZERO;
        boolean exhausted;

        OrgBus(OrgState state) {
            this.state = state;
            this.tenant = state.tenant();
            this.orgId = state.org().id();
            this.integrationUserId = state.org().integrationUser().id();
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
        OrgBus bus = new OrgBus(state);
        bus.schemas = selection(state, state.settings().changeDataCapture() != null
                ? state.settings().changeDataCapture() : settings.entities());
        boolean replaced = buses.put(state.tenant(), bus) != null;
        state.data().onCommit(changes -> publish(bus, changes));
        if (replaced) {
            rebuilt.forEach(r -> r.accept(state.tenant()));
        }
    }

    private Map<String, ChangeEventSchema> selection(OrgState state, List<String> entities) {
        Map<String, ChangeEventSchema> selected = new LinkedHashMap<>();
        for (String entity : entities) {
            SObjectType type = state.schema().type(entity).orElseThrow(() -> new IllegalArgumentException(
                    "the org has no object '" + entity + "' to select for change data capture"));
            ChangeEventSchema schema = ChangeEventSchema.of(type);
            selected.put(type.name(), schema);
            schemasById.put(schema.id(), schema);
        }
        return java.util.Collections.unmodifiableMap(selected);
    }

    /**
     * Selects exactly these objects for change data capture from now on, as an admin does on Setup's Change Data
     * Capture page: the org keeps its rows and its events; changes of an object no longer selected publish nothing.
     */
    public void select(String tenant, List<String> entities) {
        OrgBus bus = bus(tenant);
        bus.schemas = selection(bus.state, entities);
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

    /** The selected objects of an org and their schemas, in the order they were selected (unmodifiable). */
    public Map<String, ChangeEventSchema> schemas(String tenant) {
        return bus(tenant).schemas;
    }

    /** The org's channel of this name, if it has one. */
    public Optional<Channel> channel(String tenant, String topic) {
        OrgBus bus = bus(tenant);
        if ("/data/ChangeEvents".equals(topic)) {
            return Optional.of(new Channel(topic, Set.copyOf(bus.schemas.keySet()), false));
        }
        synchronized (bus) {
            if (topic != null && bus.customChannels.containsKey(topic)) {
                return Optional.of(new Channel(topic, bus.customChannels.get(topic).stream().map(Member::entity)
                        .collect(java.util.stream.Collectors.toSet()), true));
            }
        }
        return bus.schemas.values().stream().filter(s -> topic.equals("/data/" + ChangeEventSchema.eventName(
                s.entity()))).map(s -> new Channel(topic, Set.of(s.entity()), false)).findFirst();
    }

    /**
     * Creates or replaces a custom channel ({@code /data/<Name>__chn}) and its members, as the
     * {@code PlatformEventChannel} and {@code PlatformEventChannelMember} metadata do; filters are compiled now.
     */
    public void defineChannel(String tenant, String name, List<Member> members) {
        OrgBus bus = bus(tenant);
        if (!name.matches("/data/[A-Za-z][A-Za-z0-9_]*__chn")) {
            throw new IllegalArgumentException("a custom channel is named /data/<Name>__chn");
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one member");
        }
        Map<String, java.util.function.Predicate<io.cosellsync.simulator.salesforce.data.Row>> compiled =
                new LinkedHashMap<>();
        for (Member m : members) {
            if (!bus.schemas.containsKey(m.entity())) {
                throw new IllegalArgumentException("'" + m.entity() + "' is not selected for change data capture;"
                        + " selected: " + bus.schemas.keySet());
            }
            compiled.put(m.entity(), m.filter() == null || m.filter().isBlank() ? row -> true
                    : io.cosellsync.simulator.salesforce.soql.SoqlEngine.filter(bus.state, m.entity(), m.filter(),
                            clock.now()));
        }
        synchronized (bus) {
            bus.customChannels.put(name, List.copyOf(members));
            bus.filters.put(name, compiled);
        }
    }

    public Map<String, List<Member>> customChannels(String tenant) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            return Map.copyOf(bus.customChannels);
        }
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
            return bus.events.isEmpty() ? bus.lastPosition : bus.events.get(0).position() - 1;
        }
    }

    public byte[] replayId(String tenant, long position) {
        return ByteBuffer.allocate(8).putLong(bus(tenant).base + position).array();
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
        long position = ByteBuffer.wrap(replayId).getLong() - bus.base;
        synchronized (bus) {
            expire(bus);
            long oldest = bus.events.isEmpty() ? bus.lastPosition + 1 : bus.events.get(0).position();
            // an id is good while its event is kept; the newest one (handed out in keepalives) stays good
            return position > bus.floor && (position >= oldest && position <= bus.lastPosition
                    || position == bus.lastPosition) ? Optional.of(position) : Optional.empty();
        }
    }

    /** Up to {@code max} kept (and, under a delay fault, old enough) events after a position on a channel. */
    public List<StoredEvent> after(String tenant, long position, Channel channel, int max) {
        OrgBus bus = bus(tenant);
        List<StoredEvent> out = new ArrayList<>();
        synchronized (bus) {
            expire(bus);
            Instant ripe = clock.now().minus(bus.delay);
            int from = bus.events.isEmpty() ? 0 : (int) Math.max(0, position + 1 - bus.events.get(0).position());
            for (int i = from; i < bus.events.size() && out.size() < max; i++) {
                StoredEvent e = bus.events.get(i);
                if (e.committed().isAfter(ripe)) {
                    break;
                }
                if (channel.carries(e)) {
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
            if (bus.exhausted || bus.deliveries.size() + events > settings.dailyDeliveryAllocation()) {
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
        int expired = 0;
        while (expired < bus.events.size() && bus.events.get(expired).committed().isBefore(horizon)) {
            expired++;
        }
        if (expired > 0) {
            bus.events.subList(0, expired).clear();
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
            if (bus.mergeNext) {
                bus.mergeNext = false;
                merge(byRecord);
            }
            int sequence = 0;
            long commitNumber = ++bus.commitNumber;
            for (Folded f : byRecord.values()) {
                ChangeEventSchema schema = bus.schemas.get(f.first.entityName());
                GenericData.Record event = event(schema, f, ++sequence, commitNumber);
                long position = ++bus.lastPosition;
                bus.events.add(new StoredEvent(position, replayId(bus.tenant, position), f.first
                        .commitTimestamp(), schema.entity(), f.type, schema.id(), encode(event),
                        UUID.randomUUID().toString(), customChannels(bus, f)));
            }
            expire(bus);
        }
        listeners.forEach(Runnable::run);
    }

    /** The MERGED fault: updates setting the same values on records of one type become one event naming them all. */
    private static void merge(Map<String, Folded> byRecord) {
        List<Folded> kept = new ArrayList<>();
        for (Folded f : byRecord.values()) {
            Folded same = kept.stream().filter(k -> k.type.equals("UPDATE") && f.type.equals("UPDATE")
                    && k.first.entityName().equals(f.first.entityName()) && k.values.equals(f.values)).findFirst()
                    .orElse(null);
            if (same == null) {
                kept.add(f);
            } else {
                same.recordIds.addAll(f.recordIds);
            }
        }
        byRecord.values().retainAll(kept);
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /**
     * Applies a fault of the bus (gap, overflow, merged, expired ids, delayed delivery, exhausted allocation) and
     * counts it; the stream faults are {@link Deliveries}'.
     */
    public void inject(String tenant, PubSubFault fault, Map<String, Object> parameters) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            switch (fault) {
                case GAP -> {
                    String type = String.valueOf(parameters.getOrDefault("changeType", "GAP_UPDATE"));
                    if (!type.startsWith("GAP_") || type.equals("GAP_OVERFLOW")
                            || !ChangeEventSchema.CHANGE_TYPES.contains(type)) {
                        throw new IllegalArgumentException("changeType must be GAP_CREATE, GAP_UPDATE, GAP_DELETE or"
                                + " GAP_UNDELETE");
                    }
                    List<String> ids = ids(parameters.get("recordIds"));
                    if (ids.isEmpty()) {
                        throw new IllegalArgumentException("a gap event names its recordIds");
                    }
                    headerOnly(bus, schemaFor(bus, parameters), type, ids);
                }
                case OVERFLOW -> headerOnly(bus, schemaFor(bus, parameters), "GAP_OVERFLOW", List.of());
                case CORRUPT -> {
                    ChangeEventSchema schema = schemaFor(bus, parameters);
                    byte[] payload;
                    if (parameters.get("payloadBase64") instanceof String given) {
                        payload = java.util.Base64.getDecoder().decode(given);
                    } else {
                        payload = new byte[48];
                        new java.util.Random().nextBytes(payload);
                    }
                    long position = ++bus.lastPosition;
                    bus.events.add(new StoredEvent(position, replayId(bus.tenant, position), clock.now(),
                            schema.entity(), "UPDATE", schema.id(), payload, UUID.randomUUID().toString(),
                            java.util.Set.of()));
                }
                case MERGED -> bus.mergeNext = true;
                case EXPIRE_REPLAY_IDS -> {
                    bus.floor = bus.lastPosition;
                    bus.events.clear();
                }
                case DELAY_DELIVERY -> bus.delay = java.time.Duration.ofMillis(((Number) parameters
                        .getOrDefault("milliseconds", 0)).longValue());
                case EXHAUST_ALLOCATION -> bus.exhausted = true;
                default -> throw new IllegalArgumentException(fault + " is a stream fault");
            }
            bus.injected.merge(fault, 1, Integer::sum);
        }
        listeners.forEach(Runnable::run);
    }

    /** Counts a fault applied elsewhere (to the org's streams). */
    public void counted(String tenant, PubSubFault fault) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            bus.injected.merge(fault, 1, Integer::sum);
        }
    }

    /** Ends the standing faults (delay, exhausted allocation, a merge not yet used). */
    public void clearFaults(String tenant) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            bus.delay = java.time.Duration.ZERO;
            bus.exhausted = false;
            bus.mergeNext = false;
        }
        listeners.forEach(Runnable::run);
    }

    /** How often each fault was injected into the org since it was (re)built. */
    public Map<PubSubFault, Integer> injected(String tenant) {
        OrgBus bus = bus(tenant);
        synchronized (bus) {
            return Map.copyOf(bus.injected);
        }
    }

    private static ChangeEventSchema schemaFor(OrgBus bus, Map<String, Object> parameters) {
        Object entity = parameters.get("entity");
        ChangeEventSchema schema = entity == null ? null : bus.schemas.get(entity.toString());
        if (schema == null) {
            throw new IllegalArgumentException("'entity' must be one of " + bus.schemas.keySet());
        }
        return schema;
    }

    private static List<String> ids(Object value) {
        List<String> ids = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(v -> ids.add(String.valueOf(v)));
        }
        return ids;
    }

    /** A gap or overflow event: the header and record ids only (called holding the bus). */
    private void headerOnly(OrgBus bus, ChangeEventSchema schema, String type, List<String> recordIds) {
        Instant now = clock.now();
        GenericData.Record body = schema.body(Map.of());
        GenericData.Record header = header(schema, type, recordIds, null, UUID.randomUUID().toString(), 1, now,
                ++bus.commitNumber, bus.integrationUserId);
        body.put("ChangeEventHeader", header);
        long position = ++bus.lastPosition;
        bus.events.add(new StoredEvent(position, replayId(bus.tenant, position), now, schema.entity(), type,
                schema.id(), encode(body), UUID.randomUUID().toString(), bus.customChannels.entrySet().stream()
                .filter(c -> c.getValue().stream().anyMatch(m -> m.entity().equals(schema.entity())))
                .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet())));
    }

    /** The custom channels whose member filters the record passes as committed (called holding the org's lock). */
    private static Set<String> customChannels(OrgBus bus, Folded f) {
        if (bus.filters.isEmpty()) {
            return Set.of();
        }
        io.cosellsync.simulator.salesforce.data.Row row = bus.state.data().row(f.first.recordId()).orElse(null);
        Set<String> on = new java.util.HashSet<>();
        bus.filters.forEach((channel, members) -> {
            java.util.function.Predicate<io.cosellsync.simulator.salesforce.data.Row> filter = members.get(
                    f.first.entityName());
            if (filter != null && row != null && filter.test(row)) {
                on.add(channel);
            }
        });
        return on;
    }

    /** The changes one transaction made to one record, folded into the one event Salesforce publishes for them. */
    private static final class Folded {
        final Change first;
        final List<String> recordIds = new ArrayList<>();
        String type;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Object> previous = new LinkedHashMap<>();
        final List<String> changed = new ArrayList<>();

        Folded(Change first) {
            this.first = first;
            this.type = first.changeType();
            this.recordIds.add(first.recordId());
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
            c.previousValues().forEach(previous::putIfAbsent);
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
        Map<String, Object> values = f.type.equals("DELETE") ? Map.of() : new LinkedHashMap<>(f.values);
        List<String> diffs = new ArrayList<>();
        if (update) {
            // a long text made long by an update goes as a diff against what it was
            for (String field : f.changed) {
                Object now = values.get(field);
                Object before = f.previous.get(field);
                if (schema.longText(field) && now != null && before != null
                        && now.toString().length() > TextDiff.THRESHOLD) {
                    values.put(field, TextDiff.of(before.toString(), now.toString()));
                    diffs.add(field);
                }
            }
        }
        GenericData.Record body = schema.body(values);
        GenericData.Record header = header(schema, f.type, List.copyOf(f.recordIds), c.changeOrigin(),
                c.transactionKey(), sequence, c.commitTimestamp(), commitNumber, c.commitUser());
        List<String> nulled = update ? f.changed.stream().filter(n -> f.values.get(n) == null).toList() : List.of();
        header.put("nulledFields", schema.bitmap(nulled));
        header.put("diffFields", schema.bitmap(diffs));
        header.put("changedFields", update ? schema.bitmap(f.changed) : List.of());
        body.put("ChangeEventHeader", header);
        return body;
    }

    /** The header of an event, its field bitmaps empty (a create, delete, undelete, gap or overflow has none). */
    private static GenericData.Record header(ChangeEventSchema schema, String type, List<String> recordIds,
            String changeOrigin, String transactionKey, int sequence, Instant committed, long commitNumber,
            String commitUser) {
        GenericData.Record header = new GenericData.Record(schema.schema().getField("ChangeEventHeader").schema());
        header.put("entityName", schema.entity());
        header.put("recordIds", recordIds);
        header.put("changeType", new GenericData.EnumSymbol(header.getSchema().getField("changeType").schema(), type));
        header.put("changeOrigin", changeOrigin);
        header.put("transactionKey", transactionKey);
        header.put("sequenceNumber", sequence);
        header.put("commitTimestamp", committed.toEpochMilli());
        header.put("commitNumber", commitNumber);
        header.put("commitUser", commitUser);
        header.put("nulledFields", List.of());
        header.put("diffFields", List.of());
        header.put("changedFields", List.of());
        return header;
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
