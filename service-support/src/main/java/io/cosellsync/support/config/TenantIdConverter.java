package io.cosellsync.support.config;

import io.cosellsync.events.TenantId;
import org.eclipse.microprofile.config.spi.Converter;

/** Reads a tenant id from configuration, keeping the reason in the startup error when it is invalid. */
public class TenantIdConverter implements Converter<TenantId> {

    @Override
    public TenantId convert(String value) {
        return TenantId.of(value.trim());
    }
}
