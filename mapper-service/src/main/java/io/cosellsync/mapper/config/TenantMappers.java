package io.cosellsync.mapper.config;

import io.cosellsync.events.TenantId;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.support.config.TenancyConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One field mapper per served tenant, built at startup; a served tenant without a mapping file stops the service. */
@Startup
@ApplicationScoped
public class TenantMappers {

    private final Map<TenantId, FieldMapper> mappers = new HashMap<>();

    public TenantMappers(TenancyConfig tenancy, MapperConfig config) {
        List<String> missing = tenancy.tenants().stream().map(TenantId::value)
                .filter(t -> !config.tenants().containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no mapping file for tenant(s) " + missing + ": set mapper.tenants.<tenant>"
                    + ".mapping (env MAPPER_TENANTS_<TENANT>_MAPPING) to each tenant's mapping file");
        }
        FieldMap map = FieldMap.standard();
        tenancy.tenants().forEach(t -> mappers.put(t, new FieldMapper(map, config.tenants().get(t.value())
                .mapping())));
    }

    public FieldMapper of(TenantId tenant) {
        FieldMapper mapper = mappers.get(tenant);
        if (mapper == null) {
            throw new IllegalArgumentException("tenant " + tenant.value() + " is not served here");
        }
        return mapper;
    }
}
