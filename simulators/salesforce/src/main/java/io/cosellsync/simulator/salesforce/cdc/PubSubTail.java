package io.cosellsync.simulator.salesforce.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * A command-line Pub/Sub subscriber for people debugging a setup: prints each change event of a topic, decoded, one
 * line of JSON each (replay id, changed/nulled/diff fields by name, the non-null values). Works against Salesforce
 * and the simulator alike (module README, "Watching change events").
 */
public final class PubSubTail {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PubSubTail() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static final String USAGE = """
            usage: PubSubTail --pubsub HOST:PORT [--ca CA.pem | --plaintext] --instance-url URL
                              (--token TOKEN --tenant-id ORG_ID | --client-id KEY --client-secret SECRET)
                              [--topic /data/ChangeEvents] [--replay LATEST|EARLIEST|<base64 replay id>]
                              [--count N] [--seconds N]
            """;

    /** Runs the subscriber; returns the exit code (0 after --count events or --seconds, 1 on an error, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--topic", "/data/ChangeEvents", "--replay", "LATEST",
                "--count", "0", "--seconds", "0"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plaintext")) {
                options.put("--plaintext", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                err.print(USAGE);
                return 2;
            }
        }
        String instance = options.get("--instance-url");
        String pubsub = options.get("--pubsub");
        if (instance == null || pubsub == null || !pubsub.contains(":")) {
            err.print(USAGE);
            return 2;
        }
        String token = options.get("--token");
        String tenantId = options.get("--tenant-id");
        if (token == null) {
            if (options.get("--client-id") == null || options.get("--client-secret") == null) {
                err.print(USAGE);
                return 2;
            }
            JsonNode session = clientCredentials(instance, options.get("--client-id"), options.get("--client-secret"));
            token = session.path("access_token").asText();
            String[] identity = session.path("id").asText().split("/");
            tenantId = identity[identity.length - 2];
        } else if (tenantId == null) {
            err.print(USAGE);
            return 2;
        }
        String host = pubsub.substring(0, pubsub.lastIndexOf(':'));
        int port = Integer.parseInt(pubsub.substring(pubsub.lastIndexOf(':') + 1));
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port);
        if (options.containsKey("--plaintext")) {
            builder.usePlaintext();
        } else if (options.containsKey("--ca")) {
            builder.sslContext(GrpcSslContexts.forClient().trustManager(new File(options.get("--ca"))).build());
        }
        ManagedChannel channel = builder.build();
        try {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
            auth.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), instance);
            auth.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), tenantId);
            var headers = MetadataUtils.newAttachHeadersInterceptor(auth);
            return tail(PubSubGrpc.newStub(channel).withInterceptors(headers),
                    PubSubGrpc.newBlockingStub(channel).withInterceptors(headers), options, out, err);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static int tail(PubSubGrpc.PubSubStub async, PubSubGrpc.PubSubBlockingStub blocking,
            Map<String, String> options, PrintStream out, PrintStream err) throws Exception {
        FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(options.get("--topic"))
                .setNumRequested(100);
        String replay = options.get("--replay");
        if (replay.equals("LATEST") || replay.equals("EARLIEST")) {
            first.setReplayPreset(ReplayPreset.valueOf(replay));
        } else {
            first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(Base64.getDecoder()
                    .decode(replay)));
        }
        int count = Integer.parseInt(options.get("--count"));
        long seconds = Long.parseLong(options.get("--seconds"));
        long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        StreamObserver<FetchRequest> requests = async.subscribe(new StreamObserver<>() {
            @Override
            public void onNext(FetchResponse response) {
                received.add(response);
            }

            @Override
            public void onError(Throwable t) {
                received.add(t);
            }

            @Override
            public void onCompleted() {
                received.add("completed");
            }
        });
        requests.onNext(first.build());
        Map<String, Schema> schemas = new HashMap<>();
        int printed = 0;
        while (System.nanoTime() < deadline) {
            Object next = received.poll(Math.min(1_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                    TimeUnit.MILLISECONDS);
            if (next instanceof StatusRuntimeException e) {
                err.println("stream ended: " + e.getStatus() + " " + e.getTrailers());
                return 1;
            } else if (next instanceof Throwable t) {
                err.println("stream ended: " + t);
                return 1;
            } else if ("completed".equals(next)) {
                err.println("stream closed by the server");
                return 1;
            } else if (next instanceof FetchResponse response) {
                for (ConsumerEvent event : response.getEventsList()) {
                    out.println(describe(event, schemas.computeIfAbsent(event.getEvent().getSchemaId(),
                            id -> new Schema.Parser().parse(blocking.getSchema(SchemaRequest.newBuilder()
                                    .setSchemaId(id).build()).getSchemaJson()))));
                    if (count > 0 && ++printed >= count) {
                        requests.onCompleted();
                        return 0;
                    }
                }
                if (response.getPendingNumRequested() == 0) {
                    requests.onNext(FetchRequest.newBuilder().setNumRequested(100).build());
                }
            }
        }
        requests.onCompleted();
        return 0;
    }

    /** One event as a line of JSON: replay id, header with field lists by name, the non-null values. */
    static String describe(ConsumerEvent event, Schema schema) throws Exception {
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
                .binaryDecoder(event.getEvent().getPayload().toByteArray(), null));
        GenericRecord header = (GenericRecord) record.get("ChangeEventHeader");
        Map<String, Object> line = new java.util.LinkedHashMap<>();
        line.put("replayId", Base64.getEncoder().encodeToString(event.getReplayId().toByteArray()));
        line.put("schemaId", event.getEvent().getSchemaId());
        Map<String, Object> head = new java.util.LinkedHashMap<>();
        for (Schema.Field f : header.getSchema().getFields()) {
            Object value = header.get(f.name());
            if (f.name().endsWith("Fields")) {
                value = ChangeEventSchema.fieldNames(schema, strings(value));
            } else if (value instanceof List<?> list) {
                value = strings(list);
            } else if (value != null && !(value instanceof Number)) {
                value = value.toString();
            }
            head.put(f.name(), value);
        }
        line.put("header", head);
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Schema.Field f : schema.getFields()) {
            Object value = record.get(f.name());
            if (f.pos() > 0 && value != null) {
                values.put(f.name(), value instanceof Number || value instanceof Boolean ? value
                        : JSON.readTree(json(value)));
            }
        }
        line.put("values", values);
        return JSON.writeValueAsString(line);
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        ((List<?>) list).forEach(v -> out.add(v.toString()));
        return out;
    }

    private static JsonNode clientCredentials(String instance, String clientId, String secret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(instance.replaceAll("/$", "") + "/services/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request refused: " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** An Avro value as JSON text: strings quoted, nested records as Avro prints them (already JSON). */
    private static String json(Object value) throws Exception {
        return value instanceof GenericRecord ? value.toString() : JSON.writeValueAsString(value.toString());
    }
}
