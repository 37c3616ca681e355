package io.cosellsync.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the shared test database over plain JDBC, independently of the service under test. */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** The first column of the first row as a long; -1 while the table does not exist yet (schema not migrated). */
    public static long count(String sql, Object... params) {
        try {
            String value = query(sql, params);
            return value == null ? 0 : Long.parseLong(value);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql42 && "42P01".equals(sql42.getSQLState())) {
                return -1;
            }
            throw e;
        }
    }

    /** Runs a statement (a cleanup between tests); returns the number of rows it changed. */
    public static int execute(String sql, Object... params) {
        PostgresServer pg = Postgres.shared();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    public static String query(String sql, Object... params) {
        PostgresServer pg = Postgres.shared();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
