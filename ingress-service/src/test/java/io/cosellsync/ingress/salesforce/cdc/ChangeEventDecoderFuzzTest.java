package io.cosellsync.ingress.salesforce.cdc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Pub/Sub payloads and bitmaps as a broken or hostile stream could deliver them: random bytes, a valid event cut
 * short, and valid events whose changed and nulled field bitmaps are anything. Each decodes or is
 * {@link ChangeEventDecoder.Malformed} (which the subscriber dead-letters once and moves past) — never another
 * exception, which would end the stream and read the same event again and again.
 */
class ChangeEventDecoderFuzzTest {

    private final ChangeEventDecoder decoder = new ChangeEventDecoder(id -> ChangeEventDecoderTest.SCHEMA);

    private void decodesOrIsMalformed(byte[] payload) {
        try {
            decoder.decode("schema-1", payload);
        } catch (ChangeEventDecoder.Malformed e) {
            // dead-lettered with this reason
        } catch (java.io.IOException e) {
            throw new AssertionError("an I/O failure that is not Malformed: " + e, e);
        }
    }

    @Property(tries = 200)
    void randomBytesAreMalformed(@ForAll byte[] payload) {
        decodesOrIsMalformed(payload);
    }

    @Property(tries = 300)
    void aValidEventCutShortIsMalformed(@ForAll @IntRange(min = 0, max = 400) int length) throws Exception {
        byte[] whole = ChangeEventDecoderTest.payload("UPDATE", List.of("001A"), List.of("0x02"), List.of(),
                Map.of("Name", "Contoso"));
        decodesOrIsMalformed(Arrays.copyOf(whole, Math.min(length, whole.length - 1)));
    }

    @Property(tries = 400)
    void anyBitmapIsReadOrMalformed(@ForAll("bitmaps") List<String> changed, @ForAll("bitmaps") List<String> nulled)
            throws Exception {
        decodesOrIsMalformed(ChangeEventDecoderTest.payload("UPDATE", List.of("001A"), changed, nulled, Map.of()));
    }

    @Provide
    Arbitrary<List<String>> bitmaps() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEFxX-").ofMaxLength(24);
        Arbitrary<String> shaped = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(java.math.BigInteger.ZERO, java.math.BigInteger.TWO.pow(80))
                        .map(b -> "0x" + b.toString(16)),
                Arbitraries.integers().between(-2, 12).flatMap(i -> Arbitraries.integers().between(0, 4096)
                        .map(bits -> i + "-0x" + Integer.toHexString(bits))),
                hex, Arbitraries.strings().ofMaxLength(12));
        return shaped.list().ofMaxSize(4);
    }
}
