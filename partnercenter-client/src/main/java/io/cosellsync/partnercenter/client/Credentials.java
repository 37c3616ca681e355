package io.cosellsync.partnercenter.client;

import io.cosellsync.support.persistence.DatabaseConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code partner_center_credential} rows in ingress's schema ({@code ingress} by default; the release's ingress
 * schema): one encrypted refresh token per tenant. Ingress creates the table (its migration V2) and writes
 * sign-ins; ingress and the partnercenter-writer both read and rotate the rows (ADR 0003).
 */
public class Credentials {

    /** A stored sign-in; {@code encryptedRefreshToken} is still encrypted. */
    public record Stored(String tenant, String encryptedRefreshToken, String keyId, String signedInAs,
            Instant signedInAt, Instant rotatedAt, long version, CredentialState state, String lastError) {
    }

    private final Pool pool;
    private final String table;

    /** @param schema ingress's schema, where the table lives (a plain identifier: it becomes part of the SQL) */
    public Credentials(Pool pool, String schema) {
        if (!schema.matches(DatabaseConfig.SCHEMA_NAME)) {
            throw new IllegalArgumentException("not a plain lower-case schema name: " + schema);
        }
        this.pool = pool;
        this.table = schema + ".partner_center_credential";
    }

    public Uni<Optional<Stored>> find(String tenant) {
        return pool.preparedQuery("SELECT * FROM " + table + " WHERE tenant_id = $1")
                .execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(stored(rows.iterator().next()))
                        : Optional.<Stored>empty())
                // another service than ingress, started before ingress ever ran against this database
                .onFailure(e -> e instanceof PgException pg && "42P01".equals(pg.getSqlState()))
                .transform(e -> new NotAuthorized(CredentialState.NOT_SIGNED_IN, "the credential table "
                        + table + " does not exist yet: ingress creates it (start ingress"
                        + " against this database, then sign in through its admin API)"));
    }

    /** A new sign-in replaces whatever was there. */
    public Uni<Void> signedIn(String tenant, String encrypted, String keyId, String user, Instant at) {
        return pool.preparedQuery("INSERT INTO " + table + """
                    (tenant_id, encrypted_refresh_token, key_id, signed_in_as, signed_in_at, rotated_at, version,
                     state, last_error)
                VALUES ($1, $2, $3, $4, $5, $5, 1, 'SIGNED_IN', NULL)
                ON CONFLICT (tenant_id) DO UPDATE SET encrypted_refresh_token = EXCLUDED.encrypted_refresh_token,
                    key_id = EXCLUDED.key_id, signed_in_as = EXCLUDED.signed_in_as,
                    signed_in_at = EXCLUDED.signed_in_at, rotated_at = EXCLUDED.rotated_at,
                    version = partner_center_credential.version + 1, state = 'SIGNED_IN', last_error = NULL""")
                .execute(Tuple.of(tenant, encrypted, keyId, user, utc(at))).replaceWithVoid();
    }

    /** Stores a rotated refresh token if the row is still at {@code version}; false if another writer won. */
    public Uni<Boolean> rotated(String tenant, long version, String encrypted, String keyId, Instant at) {
        return pool.preparedQuery("UPDATE " + table + """
                   SET encrypted_refresh_token = $3, key_id = $4, rotated_at = $5, version = version + 1,
                       state = 'SIGNED_IN', last_error = NULL
                 WHERE tenant_id = $1 AND version = $2""")
                .execute(Tuple.of(tenant, version, encrypted, keyId, utc(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records that the stored token no longer works (the reason never contains a token). */
    public Uni<Void> failed(String tenant, long version, CredentialState state, String reason) {
        return pool.preparedQuery("UPDATE " + table + """
                   SET state = $3, last_error = $4
                 WHERE tenant_id = $1 AND version = $2""")
                .execute(Tuple.of(tenant, version, state.name(), reason)).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Stored stored(Row row) {
        return new Stored(row.getString("tenant_id"), row.getString("encrypted_refresh_token"),
                row.getString("key_id"), row.getString("signed_in_as"),
                row.getOffsetDateTime("signed_in_at").toInstant(), row.getOffsetDateTime("rotated_at").toInstant(),
                row.getLong("version"), CredentialState.valueOf(row.getString("state")), row.getString("last_error"));
    }
}
