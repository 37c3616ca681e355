package io.cosellsync.testing;

import io.cosellsync.events.EventCodec;
import io.cosellsync.events.EventType;
import java.io.IOException;
import java.io.InputStream;

/** The contract's golden sample payloads (from the events jar), as records: the shared test data of every module. */
public final class Samples {

    private Samples() {
    }

    public static <T> T sample(EventType type, Class<T> as) {
        return as.cast(EventCodec.decode(json(type), type.payloadType()));
    }

    public static byte[] json(EventType type) {
        try (InputStream in = EventType.class.getClassLoader().getResourceAsStream(type.sampleResource())) {
            if (in == null) {
                throw new IllegalStateException(type.sampleResource() + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
