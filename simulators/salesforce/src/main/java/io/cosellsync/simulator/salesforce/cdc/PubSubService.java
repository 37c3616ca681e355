package io.cosellsync.simulator.salesforce.cdc;

import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.cosellsync.simulator.salesforce.cdc.PubSubCaller.Caller;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.UUID;

/**
 * The Pub/Sub API ({@code eventbus.v1.PubSub}) over the org's change events: {@code GetTopic}, {@code GetSchema},
 * {@code Subscribe}; {@code Publish} is refused for change event channels, as Salesforce publishes those itself.
 * {@code PublishStream} and {@code ManagedSubscribe} answer UNIMPLEMENTED.
 */
@GrpcService
public class PubSubService extends PubSubGrpc.PubSubImplBase {

    private final ChangeEventBus bus;
    private final Deliveries deliveries;

    public PubSubService(ChangeEventBus bus, Deliveries deliveries) {
        this.bus = bus;
        this.deliveries = deliveries;
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> response) {
        Caller caller = PubSubCaller.CALLER.get();
        ChangeEventBus.Channel channel = bus.channel(caller.tenant(), request.getTopicName()).orElse(null);
        if (channel == null) {
            response.onError(PubSubErrors.topicNotFound(request.getTopicName()));
            return;
        }
        // a channel of one object has that object's schema; a multi-object channel's events each name their own
        String schemaId = channel.entities().size() == 1 ? bus.schemas(caller.tenant()).get(channel.entities()
                .iterator().next()).id() : "";
        response.onNext(TopicInfo.newBuilder().setTopicName(request.getTopicName()).setTenantGuid(caller.orgId())
                .setCanPublish(false).setCanSubscribe(true).setSchemaId(schemaId)
                .setRpcId(UUID.randomUUID().toString()).build());
        response.onCompleted();
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        ChangeEventSchema schema = bus.schema(request.getSchemaId()).orElse(null);
        if (schema == null) {
            response.onError(PubSubErrors.error(Status.Code.NOT_FOUND, "schema.not.found", "Schema not found: "
                    + request.getSchemaId() + "."));
            return;
        }
        response.onNext(SchemaInfo.newBuilder().setSchemaId(schema.id()).setSchemaJson(schema.json())
                .setRpcId(UUID.randomUUID().toString()).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> response) {
        return deliveries.open(PubSubCaller.CALLER.get(), response);
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
        Caller caller = PubSubCaller.CALLER.get();
        if (bus.channel(caller.tenant(), request.getTopicName()).isEmpty()) {
            response.onError(PubSubErrors.topicNotFound(request.getTopicName()));
            return;
        }
        response.onError(PubSubErrors.error(Status.Code.PERMISSION_DENIED, "topic.meta.permission",
                "You can't publish to " + request.getTopicName() + ": change events are published by Salesforce."));
    }
}
