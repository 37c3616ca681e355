package io.cosellsync.support.config;

import io.cosellsync.events.TopicSpec;
import io.cosellsync.events.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Publishes the full topic names of {@link Topics} as {@code cosell.topic.<key>}, so channel configuration says
 * {@code topic=${cosell.topic.salesforce-commands}} and the names live in one place. Low ordinal: an explicit
 * setting still wins.
 */
public class TopicNamesConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue configured = context.getValue("cosell.topic-prefix");
        String prefix = configured == null || configured.getValue() == null ? Topics.DEFAULT_PREFIX
                : configured.getValue();
        Map<String, String> names = Topics.all(prefix).stream()
                .collect(Collectors.toMap(spec -> "cosell.topic." + spec.key(), TopicSpec::name));
        return java.util.List.of(new MapBackedConfigSource("cosell-topic-names", names, 50) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }
}
