package io.cosellsync.support.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP calls to the SaaS APIs (Salesforce REST, Partner Center Referrals) on the application's Vert.x event loops:
 * no thread per request (the JDK {@code HttpClient}'s {@code sendAsync} completes on {@code CompletableFuture}'s
 * default executor, which starts a thread for every call on a machine with two cores), and the answer arrives on
 * the caller's Vert.x context. HTTP/1.1 with keep-alive, up to {@value #CONNECTIONS} connections per host; TLS with
 * the JDK's trust store, host name verification and SNI always sent; redirects are not followed. What a call means
 * (retries, errors) is the caller's; this class only sends it. One per service process, shared by its clients.
 */
@Singleton
public class OutboundHttp {

    /** Connections kept per host (the JDK client had no limit; Vert.x's default of 5 queues a busy writer). */
    public static final int CONNECTIONS = 32;

    /** An answer: status, body as text (empty when there was none) and each header's first value. */
    public record Answer(int status, String body, Map<String, String> headers) {

        /** A header's first value; names are case-insensitive. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst();
        }
    }

    private final WebClient client;

    @Inject
    public OutboundHttp(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("co-sell-sync")
                .setConnectTimeout(10_000).setFollowRedirects(false).setMaxPoolSize(CONNECTIONS)
                .setKeepAlive(true).setVerifyHost(true).setForceSni(true));
    }

    /**
     * Sends one request; fails (with the transport's exception) when no answer came, including after
     * {@code timeout} without one.
     */
    public Uni<Answer> send(String method, URI uri, Map<String, String> headers, String body, Duration timeout) {
        HttpRequest<Buffer> request = client.requestAbs(HttpMethod.valueOf(method), uri.toString())
                .timeout(timeout.toMillis());
        headers.forEach(request::putHeader);
        Uni<io.vertx.mutiny.ext.web.client.HttpResponse<Buffer>> sent = body == null ? request.send()
                : request.sendBuffer(Buffer.buffer(body));
        return sent.map(response -> {
            Map<String, String> read = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, String> header : response.headers().getDelegate()) {
                read.putIfAbsent(header.getKey(), header.getValue());
            }
            String text = response.bodyAsString();
            return new Answer(response.statusCode(), text == null ? "" : text, read);
        });
    }

    /** Closes the connections (at shutdown). */
    @PreDestroy
    void close() {
        client.close();
    }
}
