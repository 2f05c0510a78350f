package io.jumiorisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

class JumioSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UA = "JumioRisk risk-lambda/1.0.0";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private JumioSimulator sim;
    private Sink sink;

    @BeforeEach
    void start() throws IOException {
        sim = new JumioSimulator(SimulatorConfig.defaults().callbackDelayMillis(20)).start();
        sink = new Sink();
    }

    @AfterEach
    void stop() {
        sim.close();
        sink.close();
    }

    // ------------------------------------------------------------------------------------------------ token

    @Test
    void tokenWithGoodAndBadCredentials() throws Exception {
        HttpResponse<String> ok = tokenRequest("sim-client", "sim-secret");
        assertEquals(200, ok.statusCode());
        JsonNode body = JSON.readTree(ok.body());
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asInt());
        String[] parts = body.get("access_token").asText().split("\\.");
        assertEquals(3, parts.length);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals(claims.get("iat").asLong() + 3600, claims.get("exp").asLong());
        assertTrue(claims.hasNonNull("jti"));

        HttpResponse<String> bad = tokenRequest("sim-client", "wrong");
        assertEquals(401, bad.statusCode());
        assertEquals("invalid_client", JSON.readTree(bad.body()).get("error").asText());

        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(sim.authUrl() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertEquals(401, none.statusCode());

        // wrong host prefix: the token endpoint lives under /auth only
        HttpResponse<String> wrongHost = send(HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/oauth2/token"))
                .header("Authorization", basic("sim-client", "sim-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertEquals(404, wrongHost.statusCode());
        assertEquals(3, sim.count(Endpoint.TOKEN));
    }

    @Test
    void expiredRevokedAndForcedUnauthorizedTokens() throws Exception {
        String good = token();
        assertEquals(200, createAccount(good, accountBody("ref-1", null)).statusCode());

        sim.tokenLifetimeSeconds(0);
        String expired = token();
        HttpResponse<String> r = createAccount(expired, accountBody("ref-2", null));
        assertEquals(401, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = JSON.readTree(r.body());
        assertEquals("Unauthorized", p.get("title").asText());
        assertEquals("The provided credentials are invalid", p.get("detail").asText());

        sim.unauthorizedNext(Endpoint.ACCOUNT_CREATE, 1);
        assertEquals(401, createAccount(good, accountBody("ref-3", null)).statusCode());
        assertEquals(200, createAccount(good, accountBody("ref-4", null)).statusCode());

        sim.revokeAllTokens();
        assertEquals(401, createAccount(good, accountBody("ref-5", null)).statusCode());
    }

    @Test
    void tokenRateLimit() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(http.sendAsync(tokenRequestBuilder("sim-client", "sim-secret").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int tooMany = 0;
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            HttpResponse<String> r = f.get(5, TimeUnit.SECONDS);
            if (r.statusCode() == 429) {
                tooMany++;
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
                assertEquals(429, JSON.readTree(r.body()).get("status").asInt());
            } else {
                assertEquals(200, r.statusCode());
            }
        }
        assertTrue(tooMany >= 3, "expected 429s above 10 req/s, got " + tooMany);
        assertEquals(20, sim.count(Endpoint.TOKEN));
    }

    // ------------------------------------------------------------------------------------------------ accounts

    @Test
    void accountCreateUpdateAndValidation() throws Exception {
        sim.accountRateLimit(0, 0);
        String t = token();
        HttpResponse<String> r = createAccount(t, accountBody("txn-1", null));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = JSON.readTree(r.body());
        assertTrue(a.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        String accountId = a.at("/account/id").asText();
        String wf1 = a.at("/workflowExecution/id").asText();
        JsonNode cred = a.at("/workflowExecution/credentials/0");
        assertEquals("DATA", cred.get("category").asText());
        assertEquals("API", cred.at("/allowedChannels/0").asText());
        assertTrue(
                cred.at("/api/parts/prepared_data").asText().startsWith(sim.apiUrl() + "/api/v1/accounts/" + accountId
                        + "/workflow-executions/" + wf1 + "/credentials/" + cred.get("id").asText()));
        assertEquals(sim.apiUrl() + "/api/v1/accounts/" + accountId + "/workflow-executions/" + wf1,
                cred.at("/api/workflowExecution").asText());
        assertNotEquals(t, cred.at("/api/token").asText());
        assertEquals("INITIATED", sim.workflowStatus(wf1));

        HttpResponse<String> upd = send(
                HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts/" + accountId))
                        .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                        .header("User-Agent", UA)
                        .PUT(HttpRequest.BodyPublishers.ofString(accountBody("txn-2", null))));
        assertEquals(200, upd.statusCode(), upd.body());
        JsonNode u = JSON.readTree(upd.body());
        assertEquals(accountId, u.at("/account/id").asText());
        assertNotEquals(wf1, u.at("/workflowExecution/id").asText());

        HttpResponse<String> unknown = send(
                HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts/nope"))
                        .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                        .header("User-Agent", UA)
                        .PUT(HttpRequest.BodyPublishers.ofString(accountBody("txn-3", null))));
        assertEquals(404, unknown.statusCode());

        HttpResponse<String> missing = createAccount(t, "{\"workflowDefinition\":{\"key\":10066}}");
        assertEquals(400, missing.statusCode());
        assertTrue(JSON.readTree(missing.body()).get("detail").asText().contains("customerInternalReference"));
        HttpResponse<String> forbidden = createAccount(t, accountBody("bad{ref}", null));
        assertEquals(400, forbidden.statusCode());
        HttpResponse<String> noKey = createAccount(t,
                "{\"customerInternalReference\":\"x\",\"workflowDefinition\":{}}");
        assertEquals(400, noKey.statusCode());
        assertTrue(JSON.readTree(noKey.body()).get("detail").asText().contains("workflowDefinition.key"));

        // library-default User-Agent (java.net.http sends one) is refused
        HttpResponse<String> noUa = send(HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts"))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(accountBody("txn-4", null))));
        assertEquals(403, noUa.statusCode());

        RecordedRequest first = sim.requests(Endpoint.ACCOUNT_CREATE).get(0);
        assertEquals(UA, first.header("user-agent"));
        assertEquals("txn-1", first.json().get("customerInternalReference").asText());
    }

    @Test
    void accountRateLimitAndFailNextWithRetryAfter() throws Exception {
        String t = token();
        sim.failNext(Endpoint.ACCOUNT_CREATE, 503, 2, 1);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = createAccount(t, accountBody("ref", null));
            assertEquals(503, r.statusCode());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals(503, JSON.readTree(r.body()).get("status").asInt());
        }
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> r = createAccount(t, accountBody("ref", null));
            if (r.statusCode() == 429) {
                limited++;
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
            } else {
                assertEquals(200, r.statusCode());
                ok++;
            }
        }
        assertTrue(ok >= 5 && limited >= 1, "ok=" + ok + " limited=" + limited);
        assertEquals(9, sim.count(Endpoint.ACCOUNT_CREATE));
    }

    @Test
    void fiftyConcurrentRequests() throws Exception {
        sim.noRateLimits();
        String t = token();
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(http.sendAsync(accountRequest(t, accountBody("c-" + i, null)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            ids.add(JSON.readTree(r.body()).at("/workflowExecution/id").asText());
        }
        assertEquals(50, ids.size());
        assertEquals(50, sim.count(Endpoint.ACCOUNT_CREATE));
    }

    // ------------------------------------------------------------------------------------------------ upload/finalize

    @Test
    void uploadRules() throws Exception {
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("u-1", null)).body());
        JsonNode b = JSON.readTree(createAccount(t, accountBody("u-2", null)).body());
        String url = a.at("/workflowExecution/credentials/0/api/parts/prepared_data").asText();
        String tokenA = a.at("/workflowExecution/credentials/0/api/token").asText();
        String tokenB = b.at("/workflowExecution/credentials/0/api/token").asText();

        assertEquals(403, upload(url, tokenB, "{\"email\":\"a@example.com\"}").statusCode());
        assertEquals(403, upload(url, t, "{\"email\":\"a@example.com\"}").statusCode());
        assertEquals(401, upload(url, "garbage", "{\"email\":\"a@example.com\"}").statusCode());
        HttpResponse<String> put = send(
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + tokenA)
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(405, put.statusCode());
        assertEquals(400, upload(url, tokenA, "{\"phoneNumber\":\"0155 555\"}").statusCode());
        assertEquals(400, upload(url, tokenA, "{\"dateOfBirth\":\"01/02/1990\"}").statusCode());
        HttpResponse<String> badChar = upload(url, tokenA, "{\"lastName\":\"Doe;drop\"}");
        assertEquals(400, badChar.statusCode());
        assertTrue(JSON.readTree(badChar.body()).get("detail").asText().contains("lastName"));

        HttpResponse<String> ok = upload(url, tokenA, "{\"email\":\"a@example.com\",\"phoneNumber\":\"+14155550123\","
                + "\"dateOfBirth\":\"1990-02-01\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode u = JSON.readTree(ok.body());
        assertEquals(a.at("/workflowExecution/id").asText(), u.at("/workflowExecution/id").asText());
        assertTrue(u.at("/api/parts").isObject());
        assertEquals("a@example.com", sim.uploadedData(u.at("/workflowExecution/id").asText()).get("email").asText());
        assertEquals(8, sim.count(Endpoint.UPLOAD));
    }

    @Test
    void finalizeBeforeUploadIsRejected() throws Exception {
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("f-1", null)).body());
        String wfUrl = a.at("/workflowExecution/credentials/0/api/workflowExecution").asText();
        String wfToken = a.at("/workflowExecution/credentials/0/api/token").asText();
        HttpResponse<String> r = finalizeWf(wfUrl, wfToken);
        assertEquals(400, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("INITIATED", sim.workflowStatus(a.at("/workflowExecution/id").asText()));
    }

    // ------------------------------------------------------------------------------------------------ full flow

    @Test
    void fullFlowWithCallbackAndDetails() throws Exception {
        sim.processingDelayMillis(150);
        String t = token();
        HttpResponse<String> created = createAccount(t, accountBody("flow-1", sink.url()));
        JsonNode a = JSON.readTree(created.body());
        String accountId = a.at("/account/id").asText();
        String wfId = a.at("/workflowExecution/id").asText();
        JsonNode api = a.at("/workflowExecution/credentials/0/api");
        assertEquals(200, upload(api.at("/parts/prepared_data").asText(), api.get("token").asText(),
                "{\"email\":\"jane@example.com\",\"ipAddress\":\"203.0.113.1\"}").statusCode());
        HttpResponse<String> fin = finalizeWf(api.get("workflowExecution").asText(), api.get("token").asText());
        assertEquals(200, fin.statusCode(), fin.body());
        assertEquals(wfId, JSON.readTree(fin.body()).at("/workflowExecution/id").asText());

        String statusUrl = sim.retrievalUrl() + "/api/v1/accounts/" + accountId + "/workflow-executions/" + wfId;
        JsonNode st = JSON.readTree(get(statusUrl + "/status", t).body());
        assertEquals("ACQUIRED", st.at("/workflowExecution/status").asText());
        assertEquals("10066", st.at("/workflowExecution/definitionKey").asText());
        assertEquals(sim.retrievalUrl() + "/api/v1/accounts/" + accountId, st.at("/account/href").asText());
        assertEquals(404, get(statusUrl, t).statusCode());

        String cb = sink.bodies.poll(3, TimeUnit.SECONDS);
        assertNotNull(cb, "callback not received");
        JsonNode c = JSON.readTree(cb);
        assertEquals(wfId, c.at("/workflowExecution/id").asText());
        assertEquals("PROCESSED", c.at("/workflowExecution/status").asText());
        assertEquals("10066", c.at("/workflowExecution/definitionKey").asText());
        assertEquals(accountId, c.at("/account/id").asText());
        assertEquals("user-flow-1", c.get("userReference").asText());
        assertTrue(c.hasNonNull("callbackSentAt"));
        assertEquals("Jumio Callback", sink.userAgents.poll());

        HttpResponse<String> det = get(statusUrl, t);
        assertEquals(200, det.statusCode());
        JsonNode d = JSON.readTree(det.body());
        assertEquals("PROCESSED", d.at("/workflow/status").asText());
        assertEquals("flow-1", d.at("/workflow/customerInternalReference").asText());
        assertEquals("PASSED", d.at("/decision/type").asText());
        assertEquals("OK", d.at("/decision/details/label").asText());
        assertEquals(10, d.at("/decision/risk/score").asInt());
        assertEquals("PREPARED_DATA", d.at("/credentials/0/parts/0/classifier").asText());
        JsonNode cap = d.at("/capabilities/emailVerification/0");
        assertEquals("jane@example.com", cap.at("/data/email").asText());
        assertEquals("PASSED", cap.at("/decision/type").asText());

        waitFor(() -> sim.callbackResults().size() == 1);
        assertEquals(200, sim.callbackResults().get(0).httpStatus());
        assertEquals(1, sim.count(Endpoint.CALLBACK));

        assertEquals(200, send(HttpRequest.newBuilder(URI.create(statusUrl)).header("Authorization", "Bearer " + t)
                .DELETE()).statusCode());
        assertEquals(404, get(statusUrl + "/status", t).statusCode());
    }

    @Test
    void deletionNeedsThePermissionAndLeavesNothingToRetrieve() throws Exception {
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("d-1", null)).body());
        String account = sim.retrievalUrl() + "/api/v1/accounts/" + a.at("/account/id").asText();
        String workflow = account + "/workflow-executions/" + a.at("/workflowExecution/id").asText();

        sim.retrieveAndDeletePermission(false);
        assertEquals(403, send(HttpRequest.newBuilder(URI.create(account)).header("Authorization", "Bearer " + t)
                .DELETE()).statusCode());
        assertEquals(403, get(workflow + "/status", t).statusCode());

        sim.retrieveAndDeletePermission(true);
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(account)).header("Authorization", "Bearer " + t)
                .DELETE()).statusCode());
        assertEquals(404, get(workflow + "/status", t).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(account)).header("Authorization", "Bearer " + t)
                .DELETE()).statusCode());
    }

    @Test
    void rejectRuleNextOutcomeAndDuplicateCallbacks() throws Exception {
        sim.callbackDeliveries(3);
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("r-1", sink.url())).body());
        String accountId = a.at("/account/id").asText();
        String wfId = a.at("/workflowExecution/id").asText();
        JsonNode api = a.at("/workflowExecution/credentials/0/api");
        upload(api.at("/parts/prepared_data").asText(), api.get("token").asText(),
                "{\"email\":\"reject.me@example.com\"}");
        // finalize with the OAuth token (the other reading of the docs)
        assertEquals(200, finalizeWf(api.get("workflowExecution").asText(), t).statusCode());
        JsonNode d = JSON.readTree(
                get(sim.retrievalUrl() + "/api/v1/accounts/" + accountId + "/workflow-executions/" + wfId, t).body());
        assertEquals("REJECTED", d.at("/decision/type").asText());
        assertEquals("TXN_REJECTED", d.at("/decision/details/label").asText());
        assertEquals(100, d.at("/decision/risk/score").asInt());
        assertEquals("HIGH_RISK", d.at("/capabilities/emailVerification/0/decision/details/label").asText());
        for (int i = 0; i < 3; i++) {
            assertNotNull(sink.bodies.poll(3, TimeUnit.SECONDS), "delivery " + i);
        }

        sim.nextOutcome("WARNING", "SUSPICIOUS", 55);
        SeededWorkflow s = sim.seedFinalizedWorkflow("10065", null);
        JsonNode sd = JSON
                .readTree(get(sim.retrievalUrl() + "/api/v1/accounts/" + s.accountId() + "/workflow-executions/"
                        + s.workflowExecutionId(), t).body());
        assertEquals("WARNING", sd.at("/decision/type").asText());
        assertEquals(55, sd.at("/decision/risk/score").asInt());
        assertTrue(sd.at("/capabilities/phoneVerification/0/data/phoneNumber").isTextual());
    }

    @Test
    void expireSendsCallbackAndFailedDeliveryIsRecorded() throws Exception {
        sink.status = 500;
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("e-1", sink.url())).body());
        String wfId = a.at("/workflowExecution/id").asText();
        sim.expire(wfId, "TOKEN_EXPIRED");
        JsonNode c = JSON.readTree(sink.bodies.poll(3, TimeUnit.SECONDS));
        assertEquals("TOKEN_EXPIRED", c.at("/workflowExecution/status").asText());
        waitFor(() -> sim.callbackResults().size() == 1);
        assertEquals(500, sim.callbackResults().get(0).httpStatus());
        assertFalse(sim.callbackResults().get(0).delivered());
        JsonNode d = JSON.readTree(get(sim.retrievalUrl() + "/api/v1/accounts/" + a.at("/account/id").asText()
                + "/workflow-executions/" + wfId, t).body());
        assertEquals("NOT_EXECUTED", d.at("/decision/type").asText());
    }

    // ------------------------------------------------------------------------------------------------ admin

    @Test
    void adminApi() throws Exception {
        assertEquals(200, admin("fail", "{\"endpoint\":\"TOKEN\",\"status\":503,\"times\":1,\"retryAfterSeconds\":2}")
                .statusCode());
        HttpResponse<String> failed = tokenRequest("sim-client", "sim-secret");
        assertEquals(503, failed.statusCode());
        assertEquals("2", failed.headers().firstValue("Retry-After").orElse(null));

        assertEquals(200, admin("delay", "{\"endpoint\":\"TOKEN\",\"millis\":300,\"times\":1}").statusCode());
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                tokenRequestBuilder("sim-client", "sim-secret").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(50);
        long t0 = System.nanoTime();
        assertEquals(200, get(sim.baseUrl() + "/status", null).statusCode());
        assertTrue(System.nanoTime() - t0 < 250_000_000L, "health must not wait for the delayed request");
        assertFalse(slow.isDone());
        assertEquals(200, slow.get(3, TimeUnit.SECONDS).statusCode());

        assertEquals(200, admin("config", "{\"tokenLifetimeSeconds\":120,\"callbackDeliveries\":2}").statusCode());
        assertEquals(120, JSON.readTree(tokenRequest("sim-client", "sim-secret").body()).get("expires_in").asInt());
        assertEquals(400, admin("config", "{\"noSuchKey\":1}").statusCode());

        HttpResponse<String> counts = send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/__admin/counts")).GET());
        assertEquals(3, JSON.readTree(counts.body()).get("TOKEN").asInt());

        HttpResponse<String> seeded = admin("seed",
                "{\"workflowKey\":\"10118\",\"callbackUrl\":\"" + sink.url() + "\"}");
        JsonNode ids = JSON.readTree(seeded.body());
        assertEquals("PROCESSED", sim.workflowStatus(ids.get("workflowExecutionId").asText()));
        assertNotNull(sink.bodies.poll(3, TimeUnit.SECONDS));
        assertNotNull(sink.bodies.poll(3, TimeUnit.SECONDS));

        assertEquals(200, admin("reset", "").statusCode());
        assertEquals(0, sim.count(Endpoint.TOKEN));
        assertEquals(3600, JSON.readTree(tokenRequest("sim-client", "sim-secret").body()).get("expires_in").asInt());
        JsonNode health = JSON.readTree(get(sim.baseUrl() + "/status", null).body());
        assertEquals("UP", health.get("status").asText());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String token() throws Exception {
        HttpResponse<String> r = tokenRequest(sim.clientId(), sim.clientSecret());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private HttpRequest.Builder tokenRequestBuilder(String id, String secret) {
        return HttpRequest.newBuilder(URI.create(sim.authUrl() + "/oauth2/token"))
                .header("Authorization", basic(id, secret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
    }

    private HttpResponse<String> tokenRequest(String id, String secret) throws Exception {
        return send(tokenRequestBuilder(id, secret));
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String accountBody(String cir, String callbackUrl) {
        return "{\"customerInternalReference\":\"" + cir + "\",\"userReference\":\"user-" + cir + "\","
                + (callbackUrl == null ? "" : "\"callbackUrl\":\"" + callbackUrl + "\",")
                + "\"workflowDefinition\":{\"key\":10066}}";
    }

    private HttpRequest accountRequest(String token, String body) {
        return HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", UA)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> createAccount(String token, String body) throws Exception {
        return http.send(accountRequest(token, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(String url, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> finalizeWf(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private HttpResponse<String> admin(String op, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/__admin/" + op))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (!cond.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not met in time");
            Thread.sleep(10);
        }
    }

    /** Minimal callback receiver. */
    private static final class Sink implements AutoCloseable {
        final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        final BlockingQueue<String> userAgents = new LinkedBlockingQueue<>();
        final AtomicInteger hits = new AtomicInteger();
        volatile int status = 200;
        private final HttpServer server;

        Sink() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            server.createContext("/", ex -> {
                hits.incrementAndGet();
                userAgents.add(String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
                bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jumio/callback?secret=s3cr3t";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
