package io.jumiorisk.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP plumbing of the local stand-ins ({@link HttpApiGateway}, {@link LambdaRuntimeApi}), written once: a
 * {@link HttpServer} on a port of 127.0.0.1 with its own daemon threads, one handler for every path that always
 * closes the exchange, and the ways they read request bodies and write responses.
 */
final class LocalHttpServer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String threadPrefix;
    private final int backlog;
    private final HttpHandler handler;
    private volatile HttpServer server;
    private ExecutorService executor;
    private boolean closed;

    /**
     * @param threadPrefix names the server's threads: prefix + a counter
     * @param backlog the listen backlog
     * @param handler serves every request; the exchange is closed after it, whatever it did
     */
    LocalHttpServer(String threadPrefix, int backlog, HttpHandler handler) {
        this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix");
        this.backlog = backlog;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Starts on the given port of 127.0.0.1 (0: a free one). */
    synchronized void start(int port) throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException("already started");
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        } catch (IOException | RuntimeException e) {
            threads.shutdownNow();
            throw e;
        }
        s.createContext("/", ex -> {
            try {
                handler.handle(ex);
            } finally {
                ex.close();
            }
        });
        s.setExecutor(threads);
        s.start();
        executor = threads;
        server = s;
    }

    int port() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s.getAddress().getPort();
    }

    /** {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:port}. */
    String baseUrl() {
        return "http://" + address();
    }

    /** Stops listening at once and ends the server's threads; safe to call more than once, or before start. */
    @Override
    public synchronized void close() {
        if (server != null && !closed) {
            server.stop(0);
            executor.shutdownNow();
        }
        closed = true;
    }

    // ------------------------------------------------------------------------------------------------ requests

    /**
     * The request body, or {@code null} when it is longer than {@code limit} bytes; the rest is then left unread, for
     * the caller to {@link #drain} as far as it sees fit.
     */
    static byte[] readBody(HttpExchange ex, int limit) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    /** Reads and discards up to {@code max} bytes of a request body; a broken connection ends it quietly. */
    static void drain(InputStream in, long max) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while (total < max && (n = in.read(buf)) >= 0) {
                total += n;
            }
        } catch (IOException ignored) {
            // the connection is closed anyway
        }
    }

    // ------------------------------------------------------------------------------------------------ responses

    /** Sends a JSON response; see {@link #send}. */
    static int sendJson(HttpExchange ex, int status, String json) throws IOException {
        return send(ex, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the status, the content type (unless {@code null}: then whatever the headers already say) and the body,
     * with its length. No body goes out where HTTP allows none: HEAD, 1xx, 204 and 304.
     *
     * @return {@code status}
     */
    static int send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean noBody = ex.getRequestMethod().equalsIgnoreCase("HEAD") || status == 204 || status == 304
                || status < 200;
        ex.sendResponseHeaders(status, noBody || body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    /** {@code bytes} random bytes as lower-case hex, for trace and request ids. */
    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
