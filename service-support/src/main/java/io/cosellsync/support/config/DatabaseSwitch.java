package io.cosellsync.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Build-time switch: {@code cosell.database.enabled=true} in a stateful service's application.properties enables
 * the shared persistence beans (message log, background schema migration). The stateless mapper leaves it off.
 */
@ConfigMapping(prefix = "cosell.database")
public interface DatabaseSwitch {

    @WithDefault("false")
    boolean enabled();
}
