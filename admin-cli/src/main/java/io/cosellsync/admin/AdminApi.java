package io.cosellsync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The admin API of a co-sell sync service, called with the admin key; answers as JSON. */
final class AdminApi {

    /** The API answered with a problem (4xx): the request is wrong, or not allowed. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** No answer, or the service failed (5xx): try again later. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AdminApi(URI base, String key) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.key = key;
    }

    JsonNode get(String path, Map<String, String> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path + (q.isEmpty() ? "" : "?" + q))).GET(), path);
    }

    JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request: " + e.getMessage(), e);
        }
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + key).timeout(Duration.ofMinutes(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Unavailable("cannot reach " + base + " (is the service running? --url)");
        } catch (IOException e) {
            throw new Unavailable("no answer from " + base + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 500) {
            throw new Unavailable(response.statusCode() + " from " + path + ": " + detail(body, response.body()));
        }
        if (response.statusCode() >= 400) {
            throw new Refused(response.statusCode(), response.statusCode() + " " + body.path("title").asText("")
                    + ": " + detail(body, response.body()));
        }
        return body;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String detail(JsonNode problem, String raw) {
        return problem.path("detail").isTextual() ? problem.path("detail").asText() : raw;
    }
}
