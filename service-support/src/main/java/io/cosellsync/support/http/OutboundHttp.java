package io.cosellsync.support.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
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
import java.util.concurrent.TimeoutException;

/**
 * HTTP calls to the SaaS APIs (Salesforce REST, Partner Center Referrals and its webhook registration, Entra's device
 * code flow) and the bounded download of webhook signing certificates, on the application's Vert.x event loops:
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

    /** A body that was larger than the caller accepts; reading stopped there. */
    public static class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("larger than " + limit + " bytes", null, false, false);
        }
    }

    private final WebClient client;
    private final HttpClient streaming;

    @Inject
    public OutboundHttp(Vertx vertx) {
        WebClientOptions options = new WebClientOptions().setUserAgent("co-sell-sync")
                .setConnectTimeout(10_000).setFollowRedirects(false).setMaxPoolSize(CONNECTIONS)
                .setKeepAlive(true).setVerifyHost(true).setForceSni(true);
        this.client = WebClient.create(vertx, options);
        // for bodies read piece by piece (a bounded download); same TLS and timeouts, few connections
        this.streaming = vertx.createHttpClient(new HttpClientOptions(options).setMaxPoolSize(4));
    }

    /**
     * GETs a body of at most {@code maxBytes}, reading it as it arrives and failing with {@link TooLarge} (the
     * connection closed) as soon as it grows past that, so an untrusted URL cannot make the process hold more. Fails
     * with {@link Answered} on any status other than 200, and when no whole answer came within {@code timeout}.
     */
    public Uni<byte[]> getBounded(URI uri, int maxBytes, Duration timeout) {
        return streaming.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                .setIdleTimeout(timeout.toMillis()).putHeader("User-Agent", "co-sell-sync"))
                .chain(HttpClientRequest::send)
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        return response.end().onFailure().recoverWithNull()
                                .chain(() -> Uni.createFrom().failure(new Answered(response.statusCode())));
                    }
                    return response.toMulti().onItem().scan(Buffer::buffer, (read, piece) -> {
                        if (read.length() + piece.length() > maxBytes) {
                            response.request().connection().close().subscribe().with(x -> { }, e -> { });
                            throw new TooLarge(maxBytes);
                        }
                        return read.appendBuffer(piece);
                    }).collect().last().map(Buffer::getBytes);
                })
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException(
                        "no answer from " + uri + " within " + timeout));
    }

    /** A status other than the one expected. */
    public static class Answered extends RuntimeException {
        private final int status;

        Answered(int status) {
            super("HTTP " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
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
        streaming.closeAndForget();
    }
}
