package io.cosellsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndLongOrMultiLineCellsStayOnOneLine() {
        Table table = new Table("ID", "STATE", "REASON").row("a1", "open", "x".repeat(100))
                .row("b", "replayed", "two\nlines");
        assertEquals(2, table.size());
        assertEquals("ID  STATE     REASON\n"
                + "a1  open      " + "x".repeat(Table.CELL - 1) + "…\n"
                + "b   replayed  two lines\n", table.render());
    }
}
