package io.cosellsync.admin;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header, rows, columns as wide as their widest cell (cells cut at {@link #CELL}). */
final class Table {

    static final int CELL = 70;

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    String render() {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], cell(row, c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = cell(row, c);
                line.append(cell).append(c + 1 < columns ? " ".repeat(width[c] - cell.length() + 2) : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String cell(String[] row, int c) {
        String value = c < row.length && row[c] != null ? row[c].replaceAll("\\s+", " ") : "";
        return value.length() <= CELL ? value : value.substring(0, CELL - 1) + "…";
    }
}
