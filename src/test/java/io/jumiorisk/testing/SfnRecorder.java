package io.jumiorisk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A recording proxy in front of moto's Step Functions endpoint: the product's SFN client talks to it (through
 * {@code aws.endpointUrlSfn}, the SDK's own setting), and tests read which calls were made with which token.
 */
public final class SfnRecorder implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade");

    public record Call(String action, String body, int status) {
    }

    private final HttpServer server;
    private final String target;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Call> calls = new ArrayList<>();
    private int failures;

    public SfnRecorder(String target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<Call> calls(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).toList();
    }

    public synchronized void clear() {
        calls.clear();
        failures = 0;
    }

    /** The next {@code n} requests get a 503, as during a Step Functions outage. */
    public synchronized void failNext(int n) {
        failures = n;
    }

    private synchronized boolean takeFailure() {
        if (failures > 0) {
            failures--;
            return true;
        }
        return false;
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String action = amzTarget == null ? "?" : amzTarget.substring(amzTarget.indexOf('.') + 1);
        if (takeFailure()) {
            byte[] error = "{\"__type\":\"ServiceUnavailable\",\"message\":\"simulated outage\"}".getBytes();
            synchronized (this) {
                calls.add(new Call(action, new String(body, java.nio.charset.StandardCharsets.UTF_8), 503));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(503, error.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(error);
            }
            return;
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            synchronized (this) {
                calls.add(new Call(action, new String(body, java.nio.charset.StandardCharsets.UTF_8), response.statusCode()));
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
