package io.cosellsync.salesforce.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What reaches SOQL: escaped literals, IN lists, record ids only where ids are expected, chunked values. */
class SoqlTest {

    @Test
    void literalsEscapeQuotesBackslashesAndLineBreaks() {
        assertEquals("'O\\'Brien \\\\ Sons\\nLtd'", Soql.literal("O'Brien \\ Sons\nLtd"));
        assertEquals("'a\\tb\\rc'", Soql.literal("a\tb\rc"));
        assertEquals("''", Soql.literal(null));
    }

    @Test
    void anInListHoldsEachValueOnceAsALiteral() {
        assertEquals("('ana@x.example','O\\'Neil')", Soql.in(List.of("ana@x.example", "O'Neil", "ana@x.example")));
    }

    @Test
    void anIdListRefusesWhatIsNotARecordId() {
        assertEquals("('006000000000001AAA','006000000000002')", Soql.idList(List.of("006000000000001AAA",
                "006000000000002")));
        assertThrows(IllegalArgumentException.class, () -> Soql.idList(List.of("006000000000001AAA",
                "x' OR Name != '")));
        assertThrows(IllegalArgumentException.class, () -> Soql.idList(java.util.Arrays.asList((String) null)));
        assertTrue(Soql.isRecordId("006000000000001"));
        assertFalse(Soql.isRecordId("0060000000000011"));
    }

    @Test
    void valuesGoInChunksOfAtMostTheSizeInOrder() {
        List<Integer> items = IntStream.range(0, 401).boxed().toList();
        List<List<Integer>> chunks = Soql.chunks(items, 200);
        assertEquals(List.of(200, 200, 1), chunks.stream().map(List::size).toList());
        assertEquals(200, chunks.get(1).get(0));
        assertEquals(List.of(), Soql.chunks(List.of(), 100));
    }
}
