package io.jumiorisk.local;

import static io.jumiorisk.local.LocalHttpServer.drain;
import static io.jumiorisk.local.LocalHttpServer.readBody;
import static io.jumiorisk.local.LocalHttpServer.send;
import static io.jumiorisk.local.LocalHttpServer.sendJson;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * A local stand-in for an API Gateway HTTP API with Lambda proxy integrations, payload format version 2.0.
 * <ul>
 * <li>Routes are matched exactly ({@code {name}} matches one path segment, {@code {name+}} the rest); no match is
 * 404 {@code {"message":"Not Found"}}.</li>
 * <li>The event has {@code version, routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters,
 * pathParameters, requestContext, body, isBase64Encoded}; header names are lower case, repeated headers and repeated
 * query parameters are joined with commas, the {@code Cookie} header goes to {@code cookies}, and a body whose
 * content type is not text (JSON, text/*, XML, form-urlencoded) is base64-encoded.</li>
 * <li>The function's answer: an object with {@code statusCode} is read as {@code statusCode, headers,
 * multiValueHeaders, cookies, body, isBase64Encoded}; any other valid JSON is a 200 {@code application/json} response
 * with that JSON as its body. A function error is 500 {@code {"message":"Internal Server Error"}}, a timeout 503
 * {@code {"message":"Service Unavailable"}}, a request body over 10 MB 413.</li>
 * <li>Every response carries {@code apigw-requestid}. One log line per request: method, path (never the query
 * string: it can carry a secret), status, milliseconds.</li>
 * </ul>
 */
public final class HttpApiGateway implements AutoCloseable {

    /** One route: {@code method} and {@code path} make the route key, e.g. {@code "GET /checks/{checkId}"}. */
    public record Route(String method, String path, String functionName) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(functionName, "functionName");
            method = method.toUpperCase(Locale.ROOT);
        }

        public String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * The product's routes, read from the HTTP contract ({@code infra/openapi.yaml}) that template.yaml deploys, so
     * that the local stack serves exactly what API Gateway will.
     */
    public static List<Route> contractRoutes() {
        return HttpContract.load().routes();
    }

    /** API Gateway's request payload limit. */
    public static final int MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

    static final String ACCOUNT_ID = LambdaRuntimeApi.ACCOUNT_ID;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    /** Hop-by-hop or server-computed headers that a function's response cannot set. */
    private static final Set<String> RESPONSE_HEADERS_NOT_COPIED = Set.of("content-length", "transfer-encoding",
            "connection", "keep-alive", "date", "apigw-requestid");

    private final FunctionInvoker invoker;
    private final List<Route> routes;
    private final String apiId;
    private volatile Consumer<String> log = line -> System.out.println(line);
    private final LocalHttpServer http = new LocalHttpServer("http-api-", 128, this::handle);

    public HttpApiGateway(FunctionInvoker invoker) {
        this(invoker, contractRoutes());
    }

    public HttpApiGateway(FunctionInvoker invoker, List<Route> routes) {
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.routes = List.copyOf(routes);
        this.apiId = randomId(10);
    }

    /** Where the per-request log lines go (default: stdout). */
    public HttpApiGateway log(Consumer<String> log) {
        this.log = Objects.requireNonNull(log, "log");
        return this;
    }

    /** Starts on the given port of 127.0.0.1 (0: a free one). */
    public HttpApiGateway start(int port) throws IOException {
        http.start(port);
        return this;
    }

    public int port() {
        return http.port();
    }

    /** {@code http://127.0.0.1:port}. */
    public String baseUrl() {
        return http.baseUrl();
    }

    public String apiId() {
        return apiId;
    }

    public List<Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        http.close();
    }

    // ------------------------------------------------------------------------------------------------ handling

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String requestId = requestId();
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = ex.getRequestURI().getRawPath();
        int status = 500;
        try {
            status = serve(ex, requestId, method, rawPath, start);
        } catch (IOException | RuntimeException e) {
            log.accept("[gateway] " + method + " " + rawPath + " failed: " + e);
        } finally {
            long ms = (System.nanoTime() - start) / 1_000_000;
            log.accept("[gateway] " + method + " " + rawPath + " " + status + " " + ms + "ms");
        }
    }

    private int serve(HttpExchange ex, String requestId, String method, String rawPath, long startNanos)
            throws IOException {
        Headers out = ex.getResponseHeaders();
        out.set("apigw-requestid", requestId);

        Map<String, String> pathParameters = new LinkedHashMap<>();
        Route route = match(method, rawPath, pathParameters);
        if (route == null) {
            drain(ex.getRequestBody(), MAX_REQUEST_BODY_BYTES);
            return sendJson(ex, 404, "{\"message\":\"Not Found\"}");
        }

        String contentLength = ex.getRequestHeaders().getFirst("Content-Length");
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > MAX_REQUEST_BODY_BYTES) {
                    return tooLarge(ex);
                }
            } catch (NumberFormatException e) {
                return sendJson(ex, 400, "{\"message\":\"Bad Request\"}");
            }
        }
        byte[] body = readBody(ex, MAX_REQUEST_BODY_BYTES);
        if (body == null) {
            return tooLarge(ex);
        }

        String event = buildEvent(ex, route, requestId, rawPath, pathParameters, body).toString();
        InvocationResult result;
        try {
            result = invoker.invoke(route.functionName(), event);
        } catch (RuntimeException e) {
            log.accept("[gateway] invoking " + route.functionName() + " failed: " + e);
            result = InvocationResult.error("ServiceException", LambdaRuntimeApi.errorJson(String.valueOf(e),
                    "ServiceException"));
        }
        if (result == null || result.isTimeout()) {
            return sendJson(ex, 503, "{\"message\":\"Service Unavailable\"}");
        }
        if (result.isError()) {
            log.accept("[gateway] " + route.functionName() + " failed with " + result.errorType());
            return sendJson(ex, 500, "{\"message\":\"Internal Server Error\"}");
        }
        return sendFunctionResponse(ex, result.payload(), route.functionName());
    }

    /** Builds the payload format 2.0 event. */
    ObjectNode buildEvent(HttpExchange ex, Route route, String requestId, String rawPath,
            Map<String, String> pathParameters, byte[] body) {
        Instant now = Instant.now();
        String sourceIp = ex.getRemoteAddress().getAddress().getHostAddress();
        String rawQuery = ex.getRequestURI().getRawQuery();

        // Headers: lower-case names, repeated ones joined with commas; Cookie goes to "cookies".
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String v : h.getValue()) {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.trim());
                        }
                    }
                }
                continue;
            }
            headers.merge(name, String.join(",", h.getValue()), (a, b) -> a + "," + b);
        }
        String forwardedFor = headers.get("x-forwarded-for");
        headers.put("x-forwarded-for", forwardedFor == null ? sourceIp : forwardedFor + ", " + sourceIp);
        headers.put("x-forwarded-port", Integer.toString(ex.getLocalAddress().getPort()));
        headers.put("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-"
                + LocalHttpServer.randomHex(12));

        String host = headers.getOrDefault("host", "localhost");
        String domainName = host.startsWith("[")
                ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        String domainPrefix = domainName.contains(".")
                ? domainName.substring(0, domainName.indexOf('.'))
                : domainName;

        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", route.routeKey());
        e.put("rawPath", rawPath);
        e.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        if (!cookies.isEmpty()) {
            ArrayNode c = e.putArray("cookies");
            cookies.forEach(c::add);
        }
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        Map<String, String> query = parseQuery(rawQuery);
        if (!query.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode p = e.putObject("pathParameters");
            pathParameters.forEach(p::put);
        }
        ObjectNode rc = e.putObject("requestContext");
        rc.put("accountId", ACCOUNT_ID);
        rc.put("apiId", apiId);
        rc.put("domainName", domainName);
        rc.put("domainPrefix", domainPrefix);
        ObjectNode http = rc.putObject("http");
        http.put("method", ex.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", decodePath(rawPath));
        http.put("protocol", ex.getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        rc.put("requestId", requestId);
        rc.put("routeKey", route.routeKey());
        rc.put("stage", "$default");
        rc.put("time", TIME.format(now));
        rc.put("timeEpoch", now.toEpochMilli());
        boolean base64 = false;
        if (body.length > 0) {
            if (isText(headers.get("content-type"))) {
                e.put("body", new String(body, StandardCharsets.UTF_8));
            } else {
                e.put("body", Base64.getEncoder().encodeToString(body));
                base64 = true;
            }
        }
        e.put("isBase64Encoded", base64);
        return e;
    }

    /** Maps the function's response payload (format 2.0) to the HTTP response. */
    private int sendFunctionResponse(HttpExchange ex, String payload, String functionName)
            throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(payload == null ? "" : payload);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || node.isMissingNode()) {
            log.accept("[gateway] " + functionName + " returned a payload that is not JSON");
            return sendJson(ex, 500, "{\"message\":\"Internal Server Error\"}");
        }
        if (!(node.isObject() && node.has("statusCode"))) {
            // Format 2.0 inference: valid JSON without a statusCode is a 200 JSON body.
            return send(ex, 200, "application/json", payload.getBytes(StandardCharsets.UTF_8));
        }
        JsonNode sc = node.get("statusCode");
        int status;
        if (sc.canConvertToInt() && sc.isIntegralNumber()) {
            status = sc.asInt();
        } else if (sc.isTextual() && sc.asText().matches("\\d{3}")) {
            status = Integer.parseInt(sc.asText());
        } else {
            status = -1;
        }
        if (status < 100 || status > 599) {
            log.accept("[gateway] " + functionName + " returned an invalid statusCode: " + sc);
            return sendJson(ex, 500, "{\"message\":\"Internal Server Error\"}");
        }
        Headers out = ex.getResponseHeaders();
        JsonNode headers = node.get("headers");
        if (headers != null && headers.isObject()) {
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                if (!h.getValue().isNull()
                        && !RESPONSE_HEADERS_NOT_COPIED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    out.add(h.getKey(), h.getValue().asText());
                }
            }
        }
        JsonNode multi = node.get("multiValueHeaders");
        if (multi != null && multi.isObject()) {
            for (Map.Entry<String, JsonNode> h : multi.properties()) {
                if (RESPONSE_HEADERS_NOT_COPIED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (h.getValue().isArray()) {
                    for (JsonNode v : h.getValue()) {
                        out.add(h.getKey(), v.asText());
                    }
                } else if (!h.getValue().isNull()) {
                    out.add(h.getKey(), h.getValue().asText());
                }
            }
        }
        JsonNode cookies = node.get("cookies");
        if (cookies != null && cookies.isArray()) {
            for (JsonNode c : cookies) {
                out.add("Set-Cookie", c.asText());
            }
        }
        byte[] body = new byte[0];
        JsonNode b = node.get("body");
        if (b != null && !b.isNull()) {
            String text = b.isTextual() ? b.asText() : b.toString();
            if (node.path("isBase64Encoded").asBoolean(false)) {
                try {
                    body = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
                } catch (IllegalArgumentException e) {
                    log.accept("[gateway] " + functionName + " returned a body that is not valid base64");
                    String apigwRequestId = out.getFirst("apigw-requestid");
                    out.clear();
                    out.set("apigw-requestid", apigwRequestId);
                    return sendJson(ex, 500, "{\"message\":\"Internal Server Error\"}");
                }
            } else {
                body = text.getBytes(StandardCharsets.UTF_8);
            }
        }
        if (!hasHeader(out, "content-type") && body.length > 0) {
            out.set("Content-Type", "application/json");
        }
        return send(ex, status, null, body);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Route match(String method, String rawPath, Map<String, String> pathParameters) {
        String[] actual = split(rawPath);
        for (Route r : routes) {
            if (!r.method().equals(method) && !r.method().equals("ANY")) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (matches(split(r.path()), actual, params)) {
                pathParameters.putAll(params);
                return r;
            }
        }
        return null;
    }

    private static boolean matches(String[] template, String[] actual, Map<String, String> params) {
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("+}")) {
                if (i >= actual.length) {
                    return false;
                }
                List<String> rest = new ArrayList<>();
                for (int j = i; j < actual.length; j++) {
                    rest.add(actual[j]);
                }
                params.put(t.substring(1, t.length() - 2), decodePath(String.join("/", rest)));
                return true;
            }
            if (i >= actual.length) {
                return false;
            }
            if (t.startsWith("{") && t.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return false;
                }
                params.put(t.substring(1, t.length() - 1), decodePath(actual[i]));
            } else if (!t.equals(actual[i])) {
                return false;
            }
        }
        return template.length == actual.length;
    }

    /** "/a/b" gives ["a","b"]; "/a/" gives ["a",""] so that a trailing slash does not match "/a". */
    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.split("/", -1);
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            q.merge(name, value, (a, b) -> a + "," + b);
        }
        return q;
    }

    private static String decodeQuery(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String decodePath(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Content types that API Gateway passes as text; anything else (or none) is base64-encoded. */
    static boolean isText(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return t.startsWith("text/")
                || t.equals("application/json") || t.endsWith("+json")
                || t.equals("application/xml") || t.endsWith("+xml")
                || t.equals("application/x-www-form-urlencoded")
                || t.equals("application/javascript") || t.equals("application/graphql");
    }

    private static boolean hasHeader(Headers headers, String name) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * 413. The rest of the body is read first (up to a bound) so that a client still sending does not see its
     * connection reset instead of the answer; past the bound the connection is closed.
     */
    private static int tooLarge(HttpExchange ex) throws IOException {
        drain(ex.getRequestBody(), 4L * MAX_REQUEST_BODY_BYTES);
        ex.getResponseHeaders().set("Connection", "close");
        return sendJson(ex, 413, "{\"message\":\"Request Entity Too Large\"}");
    }

    /** API Gateway's request ids look like {@code "JKJaXmPLvHcESHA="}. */
    private static String requestId() {
        byte[] b = new byte[11];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static String randomId(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
