package io.cosellsync.support.metrics;

import io.cosellsync.support.config.TenancyConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Every metric of the process carries the installation's name ({@code cosell_instance}, from
 * {@code cosell.instance}; the Helm chart sets the release's instance), so two releases scraped by one Prometheus —
 * staging and production of a tenant — stay apart even where their tenant labels are equal.
 */
@Singleton
public class InstanceTag {

    public static final String TAG = "cosell_instance";

    @Produces
    @Singleton
    MeterFilter instance(TenancyConfig config) {
        return config.instance().map(name -> MeterFilter.commonTags(Tags.of(TAG, name)))
                .orElseGet(() -> new MeterFilter() {
                });
    }
}
