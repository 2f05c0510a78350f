package io.jumiorisk.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * What the simulated hosts share on the wire: the request a host handles, the answer it gives, Jumio's problem-details
 * errors, and the formats of Jumio's JSON (timestamps, ids).
 */
final class Http {

    static final System.Logger LOG = System.getLogger(JumioSimulator.class.getName());

    static final ObjectMapper JSON = new ObjectMapper();

    static final String APPLICATION_JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Http() {
    }

    interface Handler {
        Response handle(Req r) throws Exception;
    }

    /**
     * A request routed to a host: the path parameters its route captured, and whether an injected 401 is due even for
     * a valid token.
     */
    record Req(Headers headers, List<String> params, byte[] body, boolean forceUnauthorized) {

        String header(String name) {
            return headers.getFirst(name);
        }

        String param(int i) {
            return params.get(i);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The bearer token, or null when there is none. */
        String bearer() {
            String h = header("Authorization");
            if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            String t = h.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
    }

    /** How much of an answer goes out on the wire. */
    enum Delivery {
        /** All of it. */
        WHOLE,
        /** The headers with the whole body's Content-Length, about half of the body, then the connection closes. */
        CUT_MID_BODY,
        /** Not a byte: the request is held, then the connection closes. */
        NOTHING
    }

    record Response(int status, String contentType, byte[] body, Map<String, String> headers, Delivery delivery) {

        Response(int status, String contentType, byte[] body, Map<String, String> headers) {
            this(status, contentType, body, headers, Delivery.WHOLE);
        }

        /** A status without a body (Jumio's answer to a deletion). */
        static Response empty(int status) {
            return new Response(status, null, null, null);
        }

        Response delivered(Delivery d) {
            return new Response(status, contentType, body, headers, d);
        }
    }

    /** An error answered as problem-details JSON, titled with the status's reason phrase. */
    static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final Map<String, String> headers = new LinkedHashMap<>();

        ApiException(int status, String detail) {
            super(detail);
            this.status = status;
        }

        ApiException header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    static ApiException bad(String detail) {
        return new ApiException(400, detail);
    }

    static ApiException unauthorized() {
        return new ApiException(401, "The provided credentials are invalid").header("WWW-Authenticate", "Bearer");
    }

    static ApiException tooManyRequests(long retryAfterSeconds) {
        return new ApiException(429, "Request limit exceeded").header("Retry-After", String.valueOf(retryAfterSeconds));
    }

    static Response json(int status, JsonNode body) {
        return json(status, body, null);
    }

    static Response json(int status, JsonNode body, Map<String, String> headers) {
        return new Response(status, APPLICATION_JSON, bytes(body), headers);
    }

    static Response problem(ApiException e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("title", reason(e.status));
        n.put("status", e.status);
        n.put("detail", e.getMessage());
        return new Response(e.status, PROBLEM_JSON, bytes(n), e.headers);
    }

    static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the answer, or the part of it that its {@link Delivery} says; {@code holdMillis} is how long a request
     * that gets {@link Delivery#NOTHING} is held.
     */
    static void send(HttpExchange ex, Response resp, long holdMillis) {
        try {
            if (resp.delivery() == Delivery.NOTHING) {
                Thread.sleep(holdMillis);
                return;
            }
            if (resp.contentType() != null) {
                ex.getResponseHeaders().set("Content-Type", resp.contentType());
            }
            if (resp.headers() != null) {
                resp.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            }
            byte[] body = resp.body() == null ? new byte[0] : resp.body();
            ex.sendResponseHeaders(resp.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                OutputStream os = ex.getResponseBody();
                if (resp.delivery() == Delivery.CUT_MID_BODY) {
                    // Closing the exchange short of its Content-Length closes the connection.
                    os.write(body, 0, Math.max(1, body.length / 2));
                    os.flush();
                    return;
                }
                try (os) {
                    os.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.toString());
        } finally {
            ex.close();
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
    }

    static void requireJsonContentType(Req r) {
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).trim().startsWith(APPLICATION_JSON)) {
            throw bad("Content-Type must be application/json");
        }
    }

    static ObjectNode parseJsonObject(byte[] body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw bad("Request body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw bad("Request body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** An {@code application/x-www-form-urlencoded} body or query; the first value of a name wins. */
    static Map<String, String> parseForm(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k.trim(), v.trim());
        }
        return m;
    }

    /** Jumio's timestamp format: UTC, milliseconds. */
    static String timestamp(long epochMillis) {
        return TS.format(Instant.ofEpochMilli(epochMillis));
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }
}
