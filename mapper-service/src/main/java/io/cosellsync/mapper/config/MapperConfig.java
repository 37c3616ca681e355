package io.cosellsync.mapper.config;

import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappingFileConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import java.util.Map;

/** The mapper's settings: each served tenant's mapping file (YAML; in Kubernetes a mounted ConfigMap). */
@ConfigMapping(prefix = "mapper")
public interface MapperConfig {

    /** By tenant id. */
    Map<String, Tenant> tenants();

    interface Tenant {

        /**
         * Path of the tenant's mapping file (env {@code MAPPER_TENANTS_<TENANT>_MAPPING}), read and checked at
         * startup; see mapping/README.md.
         */
        @WithConverter(TenantMappingFileConverter.class)
        TenantMapping mapping();
    }
}
