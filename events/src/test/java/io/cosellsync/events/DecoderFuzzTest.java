package io.cosellsync.events;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Malformed payloads of every event type — random bytes, and each type's golden sample with a value replaced by one
 * of another kind, a field removed or the document cut short — either decode or fail as a
 * {@link MalformedEventException} naming where: never another exception, which would stop a consumer instead of
 * dead-lettering the record with its reason.
 */
class DecoderFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode sample(EventType type) {
        try (InputStream in = DecoderFuzzTest.class.getResourceAsStream("/samples/" + type.fileStem() + ".json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void decodesOrIsMalformed(byte[] body, EventType type) {
        try {
            EventCodec.decode(body, type.payloadType());
        } catch (MalformedEventException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a reason");
        }
    }

    @Property(tries = 300)
    void randomBytesOfAnyTypeAreMalformedNeverACrash(@ForAll byte[] body, @ForAll EventType type) {
        decodesOrIsMalformed(body, type);
    }

    @Property(tries = 1000)
    void aMutatedSampleDecodesOrIsMalformed(@ForAll EventType type, @ForAll("mutations") List<Integer> choices,
            @ForAll("values") JsonNode replacement) {
        JsonNode document = sample(type).deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collect(document, containers);
        JsonNode target = containers.get(Math.floorMod(choices.get(0), containers.size()));
        int kind = Math.floorMod(choices.get(1), 3);
        if (target instanceof ObjectNode object && object.size() > 0) {
            String field = new ArrayList<>(iterable(object)).get(Math.floorMod(choices.get(2), object.size()));
            if (kind == 0) {
                object.remove(field);
            } else {
                object.set(field, replacement);
            }
        } else if (target instanceof ArrayNode array && array.size() > 0) {
            int index = Math.floorMod(choices.get(2), array.size());
            if (kind == 0) {
                array.remove(index);
            } else {
                array.set(index, replacement);
            }
        }
        byte[] body = document.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        decodesOrIsMalformed(body, type);
        // and cut short
        decodesOrIsMalformed(java.util.Arrays.copyOf(body, Math.floorMod(choices.get(2), body.length)), type);
    }

    private static List<String> iterable(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    @Provide
    Arbitrary<List<Integer>> mutations() {
        return Arbitraries.integers().list().ofSize(3);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(NODES::textNode),
                Arbitraries.of("", "2026-13-45T99:00:00Z", "not-a-guid", "Closed", "  ", "\u0000", "9".repeat(40))
                        .map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        return Arbitraries.oneOf(scalars,
                scalars.list().ofMaxSize(3).map(list -> {
                    ArrayNode array = NODES.arrayNode();
                    list.forEach(array::add);
                    return (JsonNode) array;
                }),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(8), scalars).as((k, v) -> {
                    ObjectNode object = NODES.objectNode();
                    object.set(k, v);
                    return (JsonNode) object;
                }));
    }
}
