package io.cosellsync.mapping;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A MicroProfile Config converter for the services that read a tenant's mapping file (mapper, ingress): a path → the
 * checked settings; a bad file fails startup with each problem named by its key.
 */
public class TenantMappingFileConverter implements Converter<TenantMapping> {

    @Override
    public TenantMapping convert(String value) {
        Path file = Path.of(value.trim());
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no mapping file at " + file.toAbsolutePath());
        }
        try {
            return TenantMappings.read(file, FieldMap.standard());
        } catch (MappingConfigException e) {
            throw new IllegalArgumentException(e.getMessage().replace("\n", " "), e);
        }
    }
}
