package io.cosellsync.mapper.config;

import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.MappingConfigException;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.spi.Converter;

/** A mapping file path → the checked settings; a bad file fails startup with each problem named by its key. */
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
