package io.jumiorisk.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.callback.CallbackKeys;

/** Builds API Gateway HTTP API events (payload format 2.0) the way API Gateway sends them. */
public final class Events {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String path;
    private final String routeKey;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private String body;
    private boolean base64;
    private String sourceIp = "203.0.113.10";

    private Events(String method, String path, String routeKey) {
        this.method = method;
        this.path = path;
        this.routeKey = routeKey;
        headers.put("user-agent", "curl/8.5.0");
        headers.put("host", "abc123.execute-api.us-east-1.amazonaws.com");
    }

    public static Events postCheck(String jsonBody) {
        return new Events("POST", "/checks", "POST /checks").header("content-type", "application/json").body(jsonBody);
    }

    public static Events getCheck(String checkId) {
        Events e = new Events("GET", "/checks/" + checkId, "GET /checks/{checkId}");
        e.pathParameters.put("checkId", checkId);
        return e;
    }

    /** {@code GET /checks/{id}/details}: the decision with its capabilities. */
    public static Events getCheckDetails(String checkId) {
        Events e = new Events("GET", "/checks/" + checkId + "/details", "GET /checks/{checkId}/details");
        e.pathParameters.put("checkId", checkId);
        return e;
    }

    /** {@code DELETE /checks/{id}/account}: the erasure of the whole Jumio account. */
    public static Events deleteCheckAccount(String checkId) {
        Events e = new Events("DELETE", "/checks/" + checkId + "/account", "DELETE /checks/{checkId}/account");
        e.pathParameters.put("checkId", checkId);
        return e;
    }

    public static Events deleteCheck(String checkId) {
        Events e = new Events("DELETE", "/checks/" + checkId, "DELETE /checks/{checkId}");
        e.pathParameters.put("checkId", checkId);
        return e;
    }

    public static Events callback(String jsonBody) {
        return new Events("POST", "/callbacks/jumio", "POST /callbacks/jumio")
                .header("content-type", "application/json")
                .header("user-agent", "Jumio Callback").body(jsonBody);
    }

    /** The callback URL's key for {@code checkId}, as the product gives it to Jumio, under the tests' secret. */
    public Events signedFor(String checkId) {
        return signedFor(checkId, TestServices.CALLBACK_TOKEN);
    }

    public Events signedFor(String checkId, String secret) {
        return query("check", checkId).query("sig", CallbackKeys.sign(secret, checkId));
    }

    public Events header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    /** Leaves a header out, as a client that does not send it. */
    public Events withoutHeader(String name) {
        headers.remove(name.toLowerCase());
        return this;
    }

    public Events query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public Events body(String value) {
        this.body = value;
        this.base64 = false;
        return this;
    }

    /** Marks the body, as it is, as base64: for bodies that are not valid base64. */
    public Events claimedBase64() {
        this.base64 = true;
        return this;
    }

    public Events base64Body() {
        this.body = Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
        this.base64 = true;
        return this;
    }

    public Events sourceIp(String ip) {
        this.sourceIp = ip;
        return this;
    }

    public String json() {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", routeKey);
        e.put("rawPath", path);
        StringBuilder raw = new StringBuilder();
        query.forEach((k, v) -> raw.append(raw.length() == 0 ? "" : "&").append(k).append('=').append(v));
        e.put("rawQueryString", raw.toString());
        e.set("headers", JSON.valueToTree(headers));
        if (!query.isEmpty()) {
            e.set("queryStringParameters", JSON.valueToTree(query));
        }
        if (!pathParameters.isEmpty()) {
            e.set("pathParameters", JSON.valueToTree(pathParameters));
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", "123456789012");
        ctx.put("apiId", "abc123");
        ctx.put("domainName", "abc123.execute-api.us-east-1.amazonaws.com");
        ctx.put("domainPrefix", "abc123");
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", routeKey);
        ctx.put("stage", "$default");
        ctx.put("time", Instant.now().toString());
        ctx.put("timeEpoch", System.currentTimeMillis());
        if (body != null) {
            e.put("body", body);
        }
        e.put("isBase64Encoded", base64);
        return e.toString();
    }
}
