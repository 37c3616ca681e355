package io.cosellsync.simulator.salesforce;

import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * A Pub/Sub client as one is written for Salesforce (grpc-java over Netty, TLS to a trusted CA, the three auth
 * metadata keys, Avro decoding by each event's schema id) — pointed at the simulator.
 */
final class PubSubClient implements AutoCloseable {

    final ManagedChannel channel;
    final PubSubGrpc.PubSubBlockingStub blocking;
    final PubSubGrpc.PubSubStub async;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    PubSubClient(int tlsPort, Path trustedCa, String token, String instanceUrl, String orgId) throws IOException {
        channel = NettyChannelBuilder.forAddress("localhost", tlsPort)
                .sslContext(GrpcSslContexts.forClient().trustManager(trustedCa.toFile()).build()).build();
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
        auth.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), instanceUrl);
        auth.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), orgId);
        blocking = PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        async = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    /** An open Subscribe stream: what it received, in order, and how it ended. */
    static final class Stream {
        final BlockingQueue<FetchResponse> responses = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> ended = new LinkedBlockingQueue<>();
        StreamObserver<FetchRequest> requests;

        FetchResponse next(Duration within) throws InterruptedException {
            FetchResponse r = responses.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no response within " + within + (ended.isEmpty() ? "" : "; ended: "
                        + ended.peek()));
            }
            return r;
        }

        /** Events until {@code count} arrived (responses as they come). */
        List<ConsumerEvent> events(int count, Duration within) throws InterruptedException {
            List<ConsumerEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (events.size() < count) {
                FetchResponse r = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                events.addAll(r.getEventsList());
            }
            return events;
        }

        StatusRuntimeException error(Duration within) throws InterruptedException {
            Throwable t = ended.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (!(t instanceof StatusRuntimeException e)) {
                throw new AssertionError("expected the stream to end with an error, got " + t);
            }
            return e;
        }

        void request(FetchRequest request) {
            requests.onNext(request);
        }
    }

    Stream subscribe(FetchRequest first) {
        Stream stream = new Stream();
        stream.requests = async.subscribe(new StreamObserver<>() {
            @Override
            public void onNext(FetchResponse value) {
                stream.responses.add(value);
            }

            @Override
            public void onError(Throwable t) {
                stream.ended.add(t);
            }

            @Override
            public void onCompleted() {
                stream.ended.add(new IllegalStateException("completed"));
            }
        });
        stream.request(first);
        return stream;
    }

    GenericRecord decode(ConsumerEvent event) throws IOException {
        Schema schema = schemas.computeIfAbsent(event.getEvent().getSchemaId(), id -> new Schema.Parser().parse(
                blocking.getSchema(SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson()));
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(
                new ByteArrayInputStream(event.getEvent().getPayload().toByteArray()), null));
    }

    Schema schemaOf(ConsumerEvent event) {
        return schemas.get(event.getEvent().getSchemaId());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
