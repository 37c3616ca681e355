package io.cosellsync.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.events.command.PatchOperation;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A field value means the same built in Java or read from JSON, whatever number type the producer used. */
class FieldValuesTest {

    @Test
    void integerLongDoubleAndDecimalFieldValuesSurviveTheWire() {
        var fields = GoldenSamples.fields("Int", 120000, "Long", 5_000_000_000L, "Double", 0.25,
                "Decimal", new BigDecimal("99.90"), "Text", "x", "Null", null);
        UpdateOpportunityCommand sent = new UpdateOpportunityCommand("006A", fields, null, null, null);

        UpdateOpportunityCommand received = EventCodec.decode(EventCodec.encode(sent), UpdateOpportunityCommand.class);

        assertEquals(sent, received);
        assertEquals(new BigDecimal("120000"), received.fields().get("Int"));
        assertEquals(new BigDecimal("99.90"), received.fields().get("Decimal"));
        assertEquals(true, received.fields().containsKey("Null"));
    }

    @Test
    void patchValuesAreNormalisedTheSameWay() {
        PatchOperation sent = new PatchOperation("replace", "/details/dealValue", 10000);
        assertEquals(sent, EventCodec.decode(EventCodec.encode(sent), PatchOperation.class));
    }
}
