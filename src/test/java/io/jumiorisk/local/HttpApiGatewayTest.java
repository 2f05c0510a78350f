package io.jumiorisk.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HttpApiGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the fake function saw: function name and event. */
    private record Call(String function, JsonNode event) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Call, InvocationResult> behaviour = c -> InvocationResult.success("{}");
    private HttpApiGateway gateway;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        FunctionInvoker fake = (name, event) -> {
            try {
                Call call = new Call(name, JSON.readTree(event));
                calls.add(call);
                return behaviour.apply(call);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        gateway = new HttpApiGateway(fake).log(logLines::add).start(0);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create(gateway.baseUrl() + pathAndQuery);
    }

    @Test
    void postChecksBuildsAPayloadFormat20EventAndMapsTheStructuredResponse() throws Exception {
        behaviour = c -> InvocationResult.success("{\"statusCode\":202,"
                + "\"headers\":{\"content-type\":\"application/json\",\"x-check\":\"yes\"},"
                + "\"cookies\":[\"s=1; Path=/\"],"
                + "\"body\":\"{\\\"checkId\\\":\\\"chk-1\\\"}\",\"isBase64Encoded\":false}");
        String body = "{\"customerInternalReference\":\"txn-1\",\"workflowDefinitionKey\":10066}";

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/checks?a=1&a=2&b=x%20y&flag"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "key-1")
                .header("X-Repeat", "one")
                .header("X-Repeat", "two")
                .header("Cookie", "c1=v1; c2=v2")
                .header("User-Agent", "test-agent/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(202, r.statusCode());
        assertEquals("{\"checkId\":\"chk-1\"}", r.body());
        assertEquals("yes", r.headers().firstValue("x-check").orElse(null));
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(null));
        assertEquals(List.of("s=1; Path=/"), r.headers().allValues("set-cookie"));
        String apigwRequestId = r.headers().firstValue("apigw-requestid").orElse(null);
        assertNotNull(apigwRequestId);

        assertEquals(1, calls.size());
        assertEquals("initiate", calls.get(0).function());
        JsonNode e = calls.get(0).event();
        assertEquals("2.0", e.path("version").asText());
        assertEquals("POST /checks", e.path("routeKey").asText());
        assertEquals("/checks", e.path("rawPath").asText());
        assertEquals("a=1&a=2&b=x%20y&flag", e.path("rawQueryString").asText());
        assertEquals("1,2", e.path("queryStringParameters").path("a").asText());
        assertEquals("x y", e.path("queryStringParameters").path("b").asText());
        assertEquals("", e.path("queryStringParameters").path("flag").asText());
        assertFalse(e.has("pathParameters"));
        assertEquals(List.of("c1=v1", "c2=v2"), JSON.convertValue(e.path("cookies"), List.class));

        JsonNode h = e.path("headers");
        h.fieldNames().forEachRemaining(n -> assertEquals(n.toLowerCase(), n, "header names are lower case"));
        assertEquals("application/json", h.path("content-type").asText());
        assertEquals("key-1", h.path("idempotency-key").asText());
        assertEquals("one,two", h.path("x-repeat").asText());
        assertEquals(Integer.toString(body.length()), h.path("content-length").asText());
        assertEquals("127.0.0.1", h.path("x-forwarded-for").asText());
        assertEquals("http", h.path("x-forwarded-proto").asText());
        assertFalse(h.has("cookie"), "cookies are passed in 'cookies', not as a header");

        JsonNode rc = e.path("requestContext");
        assertEquals("000000000000", rc.path("accountId").asText());
        assertEquals(gateway.apiId(), rc.path("apiId").asText());
        assertEquals("127.0.0.1", rc.path("domainName").asText());
        assertEquals("POST", rc.path("http").path("method").asText());
        assertEquals("/checks", rc.path("http").path("path").asText());
        assertEquals("HTTP/1.1", rc.path("http").path("protocol").asText());
        assertEquals("127.0.0.1", rc.path("http").path("sourceIp").asText());
        assertEquals("test-agent/1.0", rc.path("http").path("userAgent").asText());
        assertEquals(apigwRequestId, rc.path("requestId").asText());
        assertEquals("POST /checks", rc.path("routeKey").asText());
        assertEquals("$default", rc.path("stage").asText());
        assertTrue(rc.path("time").asText().matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"),
                rc.path("time").asText());
        assertTrue(Math.abs(System.currentTimeMillis() - rc.path("timeEpoch").asLong()) < 60_000);

        assertEquals(body, e.path("body").asText());
        assertFalse(e.path("isBase64Encoded").asBoolean(true));

        assertTrue(logLines.stream().anyMatch(l -> l.matches("\\[gateway] POST /checks 202 \\d+ms")),
                logLines.toString());
        assertTrue(logLines.stream().noneMatch(l -> l.contains("a=1")), "the query string is never logged");
    }

    @Test
    void getCheckHasPathParametersAndAPlainJsonAnswerIsInferredAs200() throws Exception {
        behaviour = c -> InvocationResult.success("{\"checkId\":\"chk-123\",\"status\":\"PENDING\"}");

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/checks/chk-123")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(null));
        assertEquals("{\"checkId\":\"chk-123\",\"status\":\"PENDING\"}", r.body());
        assertEquals("retrieve", calls.get(0).function());
        JsonNode e = calls.get(0).event();
        assertEquals("GET /checks/{checkId}", e.path("routeKey").asText());
        assertEquals("GET /checks/{checkId}", e.path("requestContext").path("routeKey").asText());
        assertEquals("/checks/chk-123", e.path("rawPath").asText());
        assertEquals("chk-123", e.path("pathParameters").path("checkId").asText());
        assertEquals("", e.path("rawQueryString").asText());
        assertFalse(e.has("queryStringParameters"));
        assertFalse(e.has("cookies"));
        assertFalse(e.has("body"), "no body field without a body");
        assertFalse(e.path("isBase64Encoded").asBoolean(true));
    }

    @Test
    void binaryBodiesAreBase64EncodedBothWays() throws Exception {
        byte[] in = new byte[]{0, 1, 2, (byte) 0xff, (byte) 0xfe, 'x'};
        byte[] out = new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 7};
        behaviour = c -> InvocationResult.success("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"image/png\"},"
                + "\"isBase64Encoded\":true,\"body\":\"" + Base64.getEncoder().encodeToString(out) + "\"}");

        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri("/callbacks/jumio?check=c-1&sig=s-1"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(in)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("content-type").orElse(null));
        assertArrayEquals(out, r.body());
        JsonNode e = calls.get(0).event();
        assertEquals("callback", calls.get(0).function());
        assertEquals("POST /callbacks/jumio", e.path("routeKey").asText());
        assertEquals("s-1", e.path("queryStringParameters").path("sig").asText());
        assertTrue(e.path("isBase64Encoded").asBoolean());
        assertArrayEquals(in, Base64.getDecoder().decode(e.path("body").asText()));
        assertTrue(logLines.stream().noneMatch(l -> l.contains("secret")), "the token is never logged");
    }

    @Test
    void textLikeContentTypesAreNotEncoded() {
        assertTrue(HttpApiGateway.isText("application/json; charset=utf-8"));
        assertTrue(HttpApiGateway.isText("application/problem+json"));
        assertTrue(HttpApiGateway.isText("text/plain"));
        assertTrue(HttpApiGateway.isText("application/xml"));
        assertTrue(HttpApiGateway.isText("application/x-www-form-urlencoded"));
        assertFalse(HttpApiGateway.isText("application/octet-stream"));
        assertFalse(HttpApiGateway.isText("multipart/form-data; boundary=x"));
        assertFalse(HttpApiGateway.isText(null));
    }

    @Test
    void unknownRoutesAre404WithoutInvokingAnything() throws Exception {
        for (String[] req : new String[][]{{"GET", "/nope"}, {"POST", "/checks/"}, {"GET", "/checks"},
                {"DELETE", "/checks"}, {"PUT", "/checks/x"}, {"GET", "/checks/x/y"},
                {"POST", "/callbacks/jumio/extra"}}) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(req[1]))
                    .method(req[0], HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), req[0] + " " + req[1]);
            assertEquals("{\"message\":\"Not Found\"}", r.body());
            assertTrue(r.headers().firstValue("apigw-requestid").isPresent());
        }
        assertTrue(calls.isEmpty());
    }

    @Test
    void aFunctionErrorIs500AndATimeoutIs503() throws Exception {
        behaviour = c -> InvocationResult.error("io.jumiorisk.Boom",
                "{\"errorMessage\":\"boom\",\"errorType\":\"io.jumiorisk.Boom\",\"stackTrace\":[]}");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/checks/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(500, r.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", r.body());
        assertTrue(r.headers().firstValue("apigw-requestid").isPresent());

        behaviour = c -> InvocationResult.timeout();
        r = client.send(HttpRequest.newBuilder(uri("/checks/x")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertEquals("{\"message\":\"Service Unavailable\"}", r.body());

        behaviour = c -> InvocationResult.success("{\"statusCode\":\"not a number\"}");
        r = client.send(HttpRequest.newBuilder(uri("/checks/x")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, r.statusCode());
    }

    @Test
    void statusWithoutBodyAndMultiValueHeaders() throws Exception {
        behaviour = c -> InvocationResult.success("{\"statusCode\":409,\"multiValueHeaders\":{\"x-m\":[\"a\",\"b\"]}}");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/checks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, r.statusCode());
        assertEquals("", r.body());
        assertEquals(List.of("a", "b"), r.headers().allValues("x-m"));
        assertNull(calls.get(0).event().path("cookies").textValue());
    }

    @Test
    void bodiesOver10MbAre413() throws Exception {
        byte[] big = new byte[HttpApiGateway.MAX_REQUEST_BODY_BYTES + 1];
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/checks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", r.body());
        assertTrue(calls.isEmpty());
    }
}
