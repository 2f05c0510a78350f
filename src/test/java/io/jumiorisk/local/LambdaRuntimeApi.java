package io.jumiorisk.local;

import static io.jumiorisk.local.LocalHttpServer.sendJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * An emulator of the AWS Lambda Runtime API (version 2018-06-01) for ONE function, on its own 127.0.0.1 port: what a
 * runtime (the Java Runtime Interface Client, or Quarkus's native {@code bootstrap}) finds at
 * {@code AWS_LAMBDA_RUNTIME_API}.
 * <ul>
 * <li>{@code GET  /2018-06-01/runtime/invocation/next}: long-polls for the next event; answers with the event and the
 * headers {@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms},
 * {@code Lambda-Runtime-Invoked-Function-Arn}, {@code Lambda-Runtime-Trace-Id}.</li>
 * <li>{@code POST /2018-06-01/runtime/invocation/{id}/response}: the result (202; 413 over 6 MB).</li>
 * <li>{@code POST /2018-06-01/runtime/invocation/{id}/error}: a function error, JSON
 * {@code {errorMessage, errorType, stackTrace}}, type also in {@code Lambda-Runtime-Function-Error-Type} (202).</li>
 * <li>{@code POST /2018-06-01/runtime/init/error}: the runtime failed to start (202).</li>
 * </ul>
 * Like one execution environment, it hands out one invocation at a time; the rest wait in a FIFO queue.
 * {@link #invoke(String, Duration)} queues an event and blocks until the function answers or the time runs out. The
 * timeout covers the caller's whole wait, and the deadline that the function is given is that same instant, so in the
 * usual case (nothing queued) it is exactly Lambda's "now + function timeout".
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    public static final String PREFIX = "/2018-06-01/runtime";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Lambda's limit for a synchronous response payload. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    public static final String ACCOUNT_ID = "000000000000";
    public static final String REGION = "us-east-1";

    /** Things a supervisor (e.g. {@link LocalStackMain}) may want to react to. Called on server threads. */
    public interface Listener {
        /** The runtime asked for its first event since start (or since the last {@link #resetReadiness()}). */
        default void runtimeReady(LambdaRuntimeApi api) {
        }

        /** The runtime reported {@code /init/error}. */
        default void initError(LambdaRuntimeApi api, String errorType, String errorJson) {
        }

        /** An invocation that the runtime had taken timed out; Lambda would now reset the environment. */
        default void invocationTimedOut(LambdaRuntimeApi api, String requestId, Duration timeout) {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String functionName;
    private final Duration timeout;
    private volatile Listener listener = new Listener() {
    };

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
    private Invocation current;
    private boolean closed;
    private boolean ready;
    private String initErrorType;
    private String initErrorJson;

    private final LocalHttpServer http;

    public LambdaRuntimeApi(String functionName) {
        this(functionName, DEFAULT_TIMEOUT);
    }

    public LambdaRuntimeApi(String functionName, Duration timeout) {
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.http = new LocalHttpServer("runtime-api-" + functionName + "-", 64, this::handle);
    }

    public LambdaRuntimeApi listener(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Starts on a free port of 127.0.0.1. */
    public LambdaRuntimeApi start() throws IOException {
        return start(0);
    }

    /** Starts on the given port of 127.0.0.1 (0: a free one). */
    public LambdaRuntimeApi start(int port) throws IOException {
        http.start(port);
        return this;
    }

    public String functionName() {
        return functionName;
    }

    public Duration timeout() {
        return timeout;
    }

    public String functionArn() {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + functionName;
    }

    public int port() {
        return http.port();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}: {@code 127.0.0.1:port}. */
    public String address() {
        return http.address();
    }

    /** Invokes with the configured {@link #timeout()}. */
    public InvocationResult invoke(String eventJson) {
        return invoke(eventJson, timeout);
    }

    /**
     * Queues the event and blocks until the function has answered (payload or error) or {@code timeout} has passed.
     */
    public InvocationResult invoke(String eventJson, Duration timeout) {
        Objects.requireNonNull(eventJson, "eventJson");
        long deadlineMs = System.currentTimeMillis() + timeout.toMillis();
        Invocation inv = new Invocation(UUID.randomUUID().toString(), eventJson.getBytes(StandardCharsets.UTF_8),
                deadlineMs);
        lock.lock();
        try {
            if (closed) {
                return InvocationResult.error(inv.requestId, "ServiceException",
                        errorJson("The runtime API emulator of " + functionName + " is closed", "ServiceException"));
            }
            queue.addLast(inv);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return inv.result.get(Math.max(0, deadlineMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            boolean wasRunning;
            lock.lock();
            try {
                if (inv.result.isDone()) {
                    return inv.result.getNow(null); // answered in the meantime
                }
                queue.remove(inv);
                wasRunning = current == inv;
                if (wasRunning) {
                    current = null;
                    changed.signalAll();
                }
                inv.result.complete(InvocationResult.timeout(inv.requestId));
            } finally {
                lock.unlock();
            }
            if (wasRunning) {
                listener.invocationTimedOut(this, inv.requestId, timeout);
            }
            return InvocationResult.timeout(inv.requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.lock();
            try {
                queue.remove(inv);
                if (current == inv) {
                    current = null;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            return InvocationResult.timeout(inv.requestId);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Fails the invocation that the runtime holds, if any, as Lambda does when the runtime process dies
     * ({@code Runtime.ExitError}); for a supervisor that saw its process exit.
     */
    public void failInFlight(String errorType, String errorMessage) {
        lock.lock();
        try {
            if (current != null) {
                current.result.complete(InvocationResult.error(current.requestId, errorType,
                        errorJson("RequestId: " + current.requestId + " Error: " + errorMessage, errorType)));
                current = null;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets that the runtime was ready (e.g. before a supervisor restarts it). */
    public void resetReadiness() {
        lock.lock();
        try {
            ready = false;
            initErrorType = null;
            initErrorJson = null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the runtime has asked for an event since start or the last {@link #resetReadiness()}. */
    public boolean isRuntimeReady() {
        lock.lock();
        try {
            return ready;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the runtime has asked for its first event; {@code false} on timeout. */
    public boolean awaitRuntimeReady(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (!ready && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return ready;
        } finally {
            lock.unlock();
        }
    }

    /** Number of events waiting for the runtime (not counting the one it holds). */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Invocation inv : queue) {
                inv.result.complete(InvocationResult.timeout(inv.requestId));
            }
            queue.clear();
            if (current != null) {
                current.result.complete(InvocationResult.timeout(current.requestId));
                current = null;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        http.close();
    }

    // ------------------------------------------------------------------------------------------------ HTTP side

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals(PREFIX + "/invocation/next")) {
            if (!method.equals("GET")) {
                sendJson(ex, 405, errorJson("Method not allowed", "MethodNotAllowed"));
            } else {
                next(ex);
            }
        } else if (path.equals(PREFIX + "/init/error")) {
            if (!method.equals("POST")) {
                sendJson(ex, 405, errorJson("Method not allowed", "MethodNotAllowed"));
            } else {
                initError(ex);
            }
        } else if (path.startsWith(PREFIX + "/invocation/")
                && (path.endsWith("/response") || path.endsWith("/error"))) {
            String rest = path.substring((PREFIX + "/invocation/").length());
            int slash = rest.indexOf('/');
            String requestId = slash < 0 ? "" : rest.substring(0, slash);
            String what = slash < 0 ? "" : rest.substring(slash + 1);
            if (!method.equals("POST")) {
                sendJson(ex, 405, errorJson("Method not allowed", "MethodNotAllowed"));
            } else if (requestId.isEmpty() || !(what.equals("response") || what.equals("error"))) {
                sendJson(ex, 404, errorJson("Not found: " + path, "NotFound"));
            } else if (what.equals("response")) {
                response(ex, requestId);
            } else {
                invocationError(ex, requestId);
            }
        } else {
            sendJson(ex, 404, errorJson("Not found: " + path, "NotFound"));
        }
    }

    private void next(HttpExchange ex) throws IOException {
        Invocation inv;
        boolean announce;
        lock.lock();
        try {
            announce = !ready;
        } finally {
            lock.unlock();
        }
        if (announce) {
            listener.runtimeReady(this); // before anyone waiting in awaitRuntimeReady() goes on
        }
        lock.lock();
        try {
            if (!ready) {
                ready = true;
                initErrorType = null;
                initErrorJson = null;
                changed.signalAll();
            }
            while (true) {
                if (closed) {
                    sendJson(ex, 500, errorJson("Runtime API emulator is shutting down", "ServiceException"));
                    return;
                }
                if (current == null) {
                    dropExpired();
                    if (!queue.isEmpty()) {
                        break;
                    }
                }
                changed.await(1, TimeUnit.SECONDS);
            }
            inv = queue.removeFirst();
            current = inv;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            lock.unlock();
        }
        var h = ex.getResponseHeaders();
        h.set("Lambda-Runtime-Aws-Request-Id", inv.requestId);
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineMs));
        h.set("Lambda-Runtime-Invoked-Function-Arn", functionArn());
        h.set("Lambda-Runtime-Trace-Id", traceId());
        try {
            LocalHttpServer.send(ex, 200, "application/json", inv.event);
        } catch (IOException e) {
            // The runtime went away before it got the event: put it back at the head of the queue.
            lock.lock();
            try {
                if (current == inv && !inv.result.isDone()) {
                    current = null;
                    queue.addFirst(inv);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Drops queued invocations whose caller has given up (already completed as timeouts). Under lock. */
    private void dropExpired() {
        for (Iterator<Invocation> it = queue.iterator(); it.hasNext();) {
            if (it.next().result.isDone()) {
                it.remove();
            }
        }
    }

    private void response(HttpExchange ex, String requestId) throws IOException {
        byte[] body = readLimited(ex);
        Invocation inv = take(requestId);
        if (inv == null) {
            sendJson(ex, 400, errorJson("Invalid request ID", "InvalidRequestID"));
            return;
        }
        if (body == null) {
            String type = "Function.ResponseSizeTooLarge";
            inv.result.complete(InvocationResult.error(requestId, type, errorJson(
                    "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).",
                    type)));
            sendJson(ex, 413, errorJson("Payload Too Large", "RequestEntityTooLarge"));
            return;
        }
        inv.result.complete(InvocationResult.success(requestId, new String(body, StandardCharsets.UTF_8)));
        sendJson(ex, 202, "{\"status\":\"OK\"}");
    }

    private void invocationError(HttpExchange ex, String requestId) throws IOException {
        byte[] body = readLimited(ex);
        Invocation inv = take(requestId);
        if (inv == null) {
            sendJson(ex, 400, errorJson("Invalid request ID", "InvalidRequestID"));
            return;
        }
        String headerType = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String[] typed = normaliseError(body, headerType, "Unhandled");
        inv.result.complete(InvocationResult.error(requestId, typed[0], typed[1]));
        sendJson(ex, 202, "{\"status\":\"OK\"}");
    }

    private void initError(HttpExchange ex) throws IOException {
        byte[] body = readLimited(ex);
        String headerType = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String[] typed = normaliseError(body, headerType, "Runtime.InitError");
        lock.lock();
        try {
            initErrorType = typed[0];
            initErrorJson = typed[1];
            // Lambda fails the invocations that were waiting for this environment with the init error.
            for (Invocation inv : queue) {
                inv.result.complete(InvocationResult.error(inv.requestId, initErrorType, initErrorJson));
            }
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        sendJson(ex, 202, "{\"status\":\"OK\"}");
        listener.initError(this, typed[0], typed[1]);
    }

    /** The last init error reported since the runtime was (re)started, or {@code null}. */
    public String lastInitError() {
        lock.lock();
        try {
            return initErrorJson;
        } finally {
            lock.unlock();
        }
    }

    private Invocation take(String requestId) {
        lock.lock();
        try {
            if (current != null && current.requestId.equals(requestId)) {
                Invocation inv = current;
                current = null;
                changed.signalAll();
                return inv.result.isDone() ? null : inv;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns {errorType, errorJson}: the type named in the body wins (it is what Step Functions matches on), then
     * the header, then the fallback; a body that is not an object is wrapped into one.
     */
    private static String[] normaliseError(byte[] body, String headerType, String fallbackType) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        JsonNode node = null;
        try {
            node = text.isBlank() ? null : JSON.readTree(text);
        } catch (IOException ignored) {
            // not JSON
        }
        String type = null;
        if (node != null && node.isObject() && node.hasNonNull("errorType")) {
            type = node.get("errorType").asText();
        }
        if (type == null || type.isBlank()) {
            type = headerType != null && !headerType.isBlank() ? headerType : fallbackType;
        }
        if (node == null || !node.isObject()) {
            ObjectNode wrapped = JSON.createObjectNode();
            wrapped.put("errorMessage", text);
            wrapped.put("errorType", type);
            return new String[]{type, wrapped.toString()};
        }
        return new String[]{type, text};
    }

    /** The posted payload, or {@code null} (after reading the rest) when it is over {@link #MAX_RESPONSE_BYTES}. */
    private static byte[] readLimited(HttpExchange ex) throws IOException {
        byte[] body = LocalHttpServer.readBody(ex, MAX_RESPONSE_BYTES);
        if (body == null) {
            LocalHttpServer.drain(ex.getRequestBody(), Long.MAX_VALUE);
        }
        return body;
    }

    static String errorJson(String message, String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("errorMessage", message);
        n.put("errorType", type);
        return n.toString();
    }

    /** An X-Ray trace header like Lambda's: {@code Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0}. */
    static String traceId() {
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + LocalHttpServer.randomHex(12)
                + ";Parent=" + LocalHttpServer.randomHex(8) + ";Sampled=0";
    }

    private static final class Invocation {
        final String requestId;
        final byte[] event;
        final long deadlineMs;
        final CompletableFuture<InvocationResult> result = new CompletableFuture<>();

        Invocation(String requestId, byte[] event, long deadlineMs) {
            this.requestId = requestId;
            this.event = event;
            this.deadlineMs = deadlineMs;
        }
    }
}
