-- One Partner Center sign-in per tenant: the latest refresh token (AES-GCM, see CredentialCipher), who signed in,
-- and the credential's state as the token service last saw it. `version` guards against two replicas rotating
-- the same token at once: a save only wins against the version it read.
CREATE TABLE partner_center_credential (
    tenant_id               text        PRIMARY KEY,
    encrypted_refresh_token text        NOT NULL,
    key_id                  text        NOT NULL,
    signed_in_as            text,
    signed_in_at            timestamptz NOT NULL,
    rotated_at              timestamptz NOT NULL,
    version                 bigint      NOT NULL DEFAULT 1,
    state                   text        NOT NULL,
    last_error              text
);
