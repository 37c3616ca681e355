package io.cosellsync.testing;

import io.cloudevents.CloudEvent;
import io.cosellsync.events.EventCodec;
import java.nio.charset.StandardCharsets;

/** A record read back from Kafka with its CloudEvents envelope decoded independently of our own code. */
public record ConsumedEvent(String topic, String key, CloudEvent event) {

    public String type() {
        return event.getType();
    }

    public String tenant() {
        Object tenant = event.getExtension("tenant");
        return tenant == null ? null : tenant.toString();
    }

    public String correlationId() {
        Object id = event.getExtension("correlationid");
        return id == null ? null : id.toString();
    }

    public String body() {
        return event.getData() == null ? null : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    }

    public <T> T payload(Class<T> type) {
        return EventCodec.decode(event.getData() == null ? null : event.getData().toBytes(), type);
    }
}
