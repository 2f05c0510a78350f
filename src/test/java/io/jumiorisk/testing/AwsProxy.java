package io.jumiorisk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A proxy in front of moto for one AWS service. The product's client for that service talks to it through the SDK's
 * own setting ({@code aws.endpointUrlSfn}, {@code aws.endpointUrlDynamoDb}); tests read which calls were made, and
 * make the service answer what moto never does: an outage, or DynamoDB's refusals for concurrent writes.
 */
public final class AwsProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade");

    public record Call(String action, String body, int status) {
    }

    /**
     * What happens to the next {@code times} matching requests: {@code answer} with {@code status} instead of the
     * service's, or, when {@code answer} is null, the service's answer after {@code delayMillis}.
     */
    private record Interception(String action, Predicate<String> body, int status, String answer, long delayMillis,
            int[] left) {
    }

    private final HttpServer server;
    private final String target;
    private final HttpClient client = HttpClient.newHttpClient();
    private final boolean recording;
    private final List<Call> calls = new ArrayList<>();
    private final List<Interception> interceptions = new ArrayList<>();
    private int failures;

    /** @param recording whether to keep every call for {@link #calls(String)} */
    public AwsProxy(String target, boolean recording) {
        this.target = target;
        this.recording = recording;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(Executors.newCachedThreadPool());
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
        interceptions.clear();
        failures = 0;
    }

    /**
     * The next {@code times} requests for {@code action} whose JSON body matches get {@code answer} with
     * {@code status} instead of reaching the service.
     */
    public synchronized void answerNext(String action, Predicate<String> body, int times, int status, String answer) {
        interceptions.add(new Interception(action, body, status, answer, 0, new int[]{times}));
    }

    /** The next {@code times} requests for {@code action} whose JSON body matches reach the service late. */
    public synchronized void delayNext(String action, Predicate<String> body, int times, long delayMillis) {
        interceptions.add(new Interception(action, body, 0, null, delayMillis, new int[]{times}));
    }

    /** How many intercepted answers have not been given yet. */
    public synchronized int remaining() {
        return interceptions.stream().mapToInt(i -> i.left()[0]).sum();
    }

    private synchronized Interception takeInterception(String action, String body) {
        for (Interception i : interceptions) {
            if (i.left()[0] > 0 && i.action().equals(action) && i.body().test(body)) {
                i.left()[0]--;
                return i;
            }
        }
        return null;
    }

    private synchronized void record(String action, byte[] body, int status) {
        if (recording) {
            calls.add(new Call(action, new String(body, StandardCharsets.UTF_8), status));
        }
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
            answer(exchange, action, body, 503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"simulated outage\"}");
            return;
        }
        Interception interception = takeInterception(action, new String(body, StandardCharsets.UTF_8));
        if (interception != null && interception.answer() != null) {
            answer(exchange, action, body, interception.status(), interception.answer());
            return;
        }
        try {
            if (interception != null) {
                Thread.sleep(interception.delayMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            record(action, body, response.statusCode());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(),
                    response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    private void answer(HttpExchange exchange, String action, byte[] body, int status, String json) throws IOException {
        record(action, body, status);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
