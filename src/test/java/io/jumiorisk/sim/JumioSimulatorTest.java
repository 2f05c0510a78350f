package io.jumiorisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

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
        HttpResponse<String> noUa = sendAs(HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts"))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(accountBody("txn-4", null))), null);
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

    // ------------------------------------------------------------------------------------------------ ambiguous
    // answers

    @Test
    void processedThen502Or504LeavesTheWorkflowBehind() throws Exception {
        sim.noRateLimits();
        String t = token();
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.BAD_GATEWAY, 1);
        // an answer with an error does not use the injection up
        assertEquals(400, createAccount(t, "{\"workflowDefinition\":{\"key\":10066}}").statusCode());
        HttpResponse<String> r = createAccount(t, accountBody("amb-1", sink.url()));
        assertEquals(502, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(502, JSON.readTree(r.body()).get("status").asInt());
        LiveWorkflow created = sim.liveWorkflows().get(0);
        assertEquals("amb-1", created.customerInternalReference());
        assertEquals("INITIATED", created.status());
        assertFalse(created.finalized());
        assertEquals(200, createAccount(t, accountBody("amb-2", null)).statusCode(), "used up after one");

        assertEquals(200, admin("after-processing",
                "{\"endpoint\":\"ACCOUNT_UPDATE\",\"answer\":\"GATEWAY_TIMEOUT\",\"times\":1}").statusCode());
        HttpResponse<String> upd = send(
                HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts/" + created.accountId()))
                        .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(accountBody("amb-3", sink.url()))));
        assertEquals(504, upd.statusCode());
        assertEquals(504, JSON.readTree(upd.body()).get("status").asInt());
        LiveWorkflow updated = sim.liveWorkflows().get(2);
        assertEquals("amb-3", updated.customerInternalReference());
        assertEquals(created.accountId(), updated.accountId());
        // the workflow behind the 5xx is whole: it expires and sends its callback like any other
        sim.expireUnfinalizedNow();
        Set<String> expired = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            JsonNode cb = JSON.readTree(sink.bodies.poll(3, TimeUnit.SECONDS));
            assertEquals("TOKEN_EXPIRED", cb.at("/workflowExecution/status").asText());
            expired.add(cb.at("/workflowExecution/id").asText());
        }
        assertEquals(Set.of(created.workflowExecutionId(), updated.workflowExecutionId()), expired);
    }

    @Test
    void processedThenACutBody() throws Exception {
        String t = token();
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.CUT_BODY, 2);
        Raw raw = raw("POST", sim.accountUrl() + "/api/v1/accounts", accountHeaders(t), accountBody("cut-1", null));
        assertEquals(200, raw.status());
        int declared = Integer.parseInt(raw.headers().get("content-length"));
        assertTrue(raw.body().length > 0 && raw.body().length < declared,
                raw.body().length + " of " + declared + " bytes");
        assertThrows(IOException.class, () -> createAccount(t, accountBody("cut-2", null)));
        assertEquals(2, sim.liveWorkflows().size());
        assertEquals(Set.of("cut-1", "cut-2"), sim.liveWorkflows().stream()
                .map(LiveWorkflow::customerInternalReference).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void processedThenNoAnswer() throws Exception {
        String t = token();
        sim.noAnswerMillis(10_000).afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.NO_ANSWER, 1);
        HttpRequest req = HttpRequest.newBuilder(accountRequest(t, accountBody("silent-1", sink.url())),
                (k, v) -> true).timeout(Duration.ofMillis(700)).build();
        long t0 = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> http.send(req, HttpResponse.BodyHandlers.ofString()));
        assertTrue(System.nanoTime() - t0 >= 600_000_000L);
        assertEquals("silent-1", sim.liveWorkflows().get(0).customerInternalReference());

        // held for noAnswerMillis, then the connection closes without a byte
        sim.noAnswerMillis(300).afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.NO_ANSWER, 1);
        Raw raw = raw("POST", sim.accountUrl() + "/api/v1/accounts", accountHeaders(t), accountBody("silent-2", null));
        assertEquals(-1, raw.status());
        assertEquals(0, raw.body().length);
        assertEquals(2, sim.workflowIds().size());
    }

    @Test
    void accountAnswerWithoutTheDataCredentialAnd429BeforeAnyWork() throws Exception {
        String t = token();
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.NO_DATA_CREDENTIAL, 1);
        HttpResponse<String> r = createAccount(t, accountBody("nodata-1", null));
        assertEquals(200, r.statusCode());
        JsonNode a = JSON.readTree(r.body());
        assertTrue(a.at("/workflowExecution/credentials").isArray());
        assertEquals(0, a.at("/workflowExecution/credentials").size());
        assertEquals(Set.of(a.at("/workflowExecution/id").asText()), sim.workflowIds());

        sim.failNext(Endpoint.ACCOUNT_CREATE, 429, 1, 7);
        HttpResponse<String> limited = createAccount(t, accountBody("nodata-2", null));
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElse(null));
        JsonNode p = JSON.readTree(limited.body());
        assertEquals("Too Many Requests", p.get("title").asText());
        assertEquals("Request limit exceeded", p.get("detail").asText());
        assertEquals(1, sim.workflowIds().size(), "a 429 creates nothing");
        assertThrows(IllegalArgumentException.class,
                () -> sim.afterProcessingNext(Endpoint.FINALIZE, AfterProcessing.NO_DATA_CREDENTIAL, 1));
    }

    @Test
    void aDrawnShareOfProcessedAccountRequestsGetsAmbiguousAnswersReproducibly() throws Exception {
        sim.noRateLimits().ambiguousAccountAnswers(0.25,
                Map.of(AfterProcessing.BAD_GATEWAY, 3, AfterProcessing.GATEWAY_TIMEOUT, 1), 42);
        String t = token();
        List<Integer> first = accountStatuses(t, "draw-a", 200, -1);
        List<Integer> hit = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            assertTrue(Set.of(200, 502, 504).contains(first.get(i)), "answer " + i + ": " + first.get(i));
            if (first.get(i) != 200) {
                hit.add(i);
            }
        }
        assertTrue(hit.size() >= 30 && hit.size() <= 70, hit.size() + " of 200 (25% drawn)");
        assertTrue(first.contains(502) && first.contains(504));
        // every request made its workflow; the record names the one behind each ambiguous answer, in order
        assertEquals(200, sim.liveWorkflows().size());
        Map<String, LiveWorkflow> live = new java.util.HashMap<>();
        sim.liveWorkflows().forEach(w -> live.put(w.workflowExecutionId(), w));
        List<AmbiguousAnswer> given = sim.ambiguousAnswers();
        assertEquals(hit.size(), given.size());
        for (int k = 0; k < given.size(); k++) {
            AmbiguousAnswer a = given.get(k);
            assertTrue(a.drawn());
            assertEquals(Endpoint.ACCOUNT_CREATE, a.endpoint());
            assertEquals(first.get(hit.get(k)) == 502 ? AfterProcessing.BAD_GATEWAY : AfterProcessing.GATEWAY_TIMEOUT,
                    a.answer());
            assertEquals("draw-a-" + hit.get(k), a.customerInternalReference());
            LiveWorkflow w = live.get(a.workflowExecutionId());
            assertEquals("draw-a-" + hit.get(k), w.customerInternalReference());
            assertEquals(w.accountId(), a.accountId());
            assertEquals("INITIATED", w.status());
        }

        // The same seed makes the same draws: after a reset, set through the admin API. A request answered with an
        // error (here a 400 in the middle) draws nothing.
        sim.reset().noRateLimits();
        assertEquals(200, admin("config", "{\"ambiguousAccountFraction\":0.25,\"ambiguousAccountSeed\":42,"
                + "\"ambiguousAccountMix\":{\"BAD_GATEWAY\":3,\"gateway_timeout\":1}}").statusCode());
        assertEquals(first, accountStatuses(t, "draw-b", 200, 100));
        JsonNode listed = JSON.readTree(send(HttpRequest.newBuilder(
                URI.create(sim.baseUrl() + "/__admin/ambiguous-answers")).GET()).body());
        assertEquals(hit.size(), listed.size());
        assertEquals("draw-b-" + hit.get(0), listed.at("/0/customerInternalReference").asText());
        assertEquals(first.get(hit.get(0)) == 502 ? "BAD_GATEWAY" : "GATEWAY_TIMEOUT", listed.at("/0/answer").asText());
        assertTrue(listed.at("/0/drawn").asBoolean());
        assertEquals("ACCOUNT_CREATE", listed.at("/0/endpoint").asText());
        JsonNode cfg = JSON.readTree(send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/__admin/config"))
                .GET()).body());
        assertEquals(0.25, cfg.get("ambiguousAccountFraction").asDouble());
        assertEquals(42, cfg.get("ambiguousAccountSeed").asLong());
        assertEquals(3.0, cfg.at("/ambiguousAccountMix/BAD_GATEWAY").asDouble());
        assertFalse(cfg.get("ambiguousAccountMix").has("NO_ANSWER"));

        // A queued answer comes first and draws nothing; updates draw too; the other answers of the mix; off.
        sim.ambiguousAccountAnswers(1, Map.of(AfterProcessing.BAD_GATEWAY, 1), 7)
                .afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.GATEWAY_TIMEOUT, 1);
        assertEquals(504, createAccount(t, accountBody("queued", null)).statusCode());
        assertEquals(502, createAccount(t, accountBody("drawn", null)).statusCode());
        List<AmbiguousAnswer> last = sim.ambiguousAnswers().subList(hit.size(), hit.size() + 2);
        assertFalse(last.get(0).drawn());
        assertTrue(last.get(1).drawn());
        HttpResponse<String> upd = send(HttpRequest.newBuilder(URI.create(sim.accountUrl() + "/api/v1/accounts/"
                + last.get(0).accountId())).header("Authorization", "Bearer " + t)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(accountBody("drawn-update", null))));
        assertEquals(502, upd.statusCode());
        assertEquals(Endpoint.ACCOUNT_UPDATE, sim.ambiguousAnswers().get(hit.size() + 2).endpoint());
        sim.noAnswerMillis(200).ambiguousAccountAnswers(1, Map.of(AfterProcessing.NO_ANSWER, 1), 7);
        assertEquals(-1, raw("POST", sim.accountUrl() + "/api/v1/accounts", accountHeaders(t),
                accountBody("drawn-silent", null)).status());
        sim.ambiguousAccountAnswers(1, Map.of(AfterProcessing.CUT_BODY, 1), 7);
        assertThrows(IOException.class, () -> createAccount(t, accountBody("drawn-cut", null)));
        sim.ambiguousAccountAnswers(0, 7);
        assertEquals(200, createAccount(t, accountBody("not-drawn", null)).statusCode());
        assertEquals(hit.size() + 5, sim.ambiguousAnswers().size());

        // settings are checked
        assertThrows(IllegalArgumentException.class, () -> sim.ambiguousAccountAnswers(1.5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> sim.ambiguousAccountAnswers(0.1, Map.of(AfterProcessing.BAD_GATEWAY, -1), 1));
        assertThrows(IllegalArgumentException.class, () -> sim.ambiguousAccountAnswers(0.1, Map.of(), 1));
        assertEquals(400, admin("config", "{\"ambiguousAccountMix\":{\"TEAPOT\":1}}").statusCode());
        assertEquals(400, admin("config", "{\"ambiguousAccountFraction\":2}").statusCode());
        assertEquals(0.0, sim.config().ambiguousAccountFraction());
    }

    /**
     * The status of {@code n} account creations with references {@code prefix-i}; before the one numbered
     * {@code badAt}, a request that Jumio refuses (400).
     */
    private List<Integer> accountStatuses(String token, String prefix, int n, int badAt) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i == badAt) {
                assertEquals(400, createAccount(token, "{\"workflowDefinition\":{\"key\":10066}}").statusCode());
            }
            out.add(createAccount(token, accountBody(prefix + "-" + i, null)).statusCode());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ expiry

    @Test
    void tokenLifetimeIsValidated() throws Exception {
        sim.noRateLimits();
        String t = token();
        for (String bad : List.of("4m", "299s", "61d", "1441h", "-5m", "5", "5 m", "abc", "99999999999999999999d")) {
            HttpResponse<String> r = createAccount(t, accountBody("tl", null, bad));
            assertEquals(400, r.statusCode(), bad);
            assertTrue(JSON.readTree(r.body()).get("detail").asText().contains("tokenLifetime"), bad);
        }
        for (String good : List.of("5m", "300s", "+10m", "60d", "1440h")) {
            HttpResponse<String> r = createAccount(t, accountBody("tl", null, good));
            assertEquals(200, r.statusCode(), good);
        }
        JsonNode a = JSON.readTree(createAccount(t, accountBody("tl", null, "2h")).body());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder()
                .decode(a.at("/workflowExecution/credentials/0/api/token").asText().split("\\.")[1]));
        assertEquals(claims.get("iat").asLong() + 7200, claims.get("exp").asLong());
        JsonNode byDefault = JSON.readTree(createAccount(t, accountBody("tl", null)).body());
        JsonNode defaultClaims = JSON.readTree(Base64.getUrlDecoder()
                .decode(byDefault.at("/workflowExecution/credentials/0/api/token").asText().split("\\.")[1]));
        assertEquals(defaultClaims.get("iat").asLong() + 1800, defaultClaims.get("exp").asLong());
    }

    @Test
    void unfinalizedWorkflowsExpireWithTheirCallbackAndKeepTheirDetails() throws Exception {
        String t = token();
        JsonNode open = JSON.readTree(createAccount(t, accountBody("exp-open", sink.url())).body());
        String openId = open.at("/workflowExecution/id").asText();
        String openDetails = retrieval(open) + "/workflow-executions/" + openId;
        JsonNode done = JSON.readTree(createAccount(t, accountBody("exp-done", sink.url())).body());
        uploadAndFinalize(done, "{\"email\":\"jane@example.com\"}");
        assertEquals("PROCESSED", JSON.readTree(sink.bodies.poll(3, TimeUnit.SECONDS))
                .at("/workflowExecution/status").asText());

        // not finalized: the details come back already
        JsonNode initiated = JSON.readTree(get(openDetails, t).body());
        assertEquals("INITIATED", initiated.at("/workflow/status").asText());
        assertEquals("exp-open", initiated.at("/workflow/customerInternalReference").asText());
        assertEquals("NOT_EXECUTED", initiated.at("/decision/type").asText());

        assertEquals(List.of(openId), sim.expireUnfinalizedNow());
        JsonNode cb = JSON.readTree(sink.bodies.poll(3, TimeUnit.SECONDS));
        assertEquals(openId, cb.at("/workflowExecution/id").asText());
        assertEquals("TOKEN_EXPIRED", cb.at("/workflowExecution/status").asText());
        assertEquals("TOKEN_EXPIRED", sim.workflowStatus(openId));
        assertEquals("PROCESSED", sim.workflowStatus(done.at("/workflowExecution/id").asText()));
        assertTrue(sim.expireUnfinalizedNow().isEmpty(), "each workflow expires once");

        HttpResponse<String> det = get(openDetails, t);
        assertEquals(200, det.statusCode());
        JsonNode d = JSON.readTree(det.body());
        assertEquals("TOKEN_EXPIRED", d.at("/workflow/status").asText());
        assertEquals("exp-open", d.at("/workflow/customerInternalReference").asText());
        assertEquals("10066", d.at("/workflow/definitionKey").asText());
        assertEquals("user-exp-open", d.at("/workflow/userReference").asText());
        assertTrue(d.hasNonNull("createdAt"));
        assertEquals("NOT_EXECUTED", d.at("/capabilities/emailVerification/0/decision/type").asText());

        // SESSION_EXPIRED, through the admin API: the details of a recorded real answer
        JsonNode idle = JSON.readTree(createAccount(t, accountBody("exp-idle", null)).body());
        String idleId = idle.at("/workflowExecution/id").asText();
        HttpResponse<String> adm = admin("expire-unfinalized", "{\"status\":\"SESSION_EXPIRED\"}");
        assertEquals(idleId, JSON.readTree(adm.body()).at("/expired/0").asText());
        JsonNode sd = JSON.readTree(get(retrieval(idle) + "/workflow-executions/" + idleId, t).body());
        assertEquals("SESSION_EXPIRED", sd.at("/workflow/status").asText());
        assertEquals("REJECTED", sd.at("/decision/type").asText());
        assertEquals(100, sd.at("/decision/risk/score").asInt());
        assertEquals("NOT_EXECUTED", sd.at("/capabilities/emailVerification/0/decision/type").asText());
        assertEquals("exp-idle", sd.at("/workflow/customerInternalReference").asText());
    }

    @Test
    void onlyAnUnfinalizedWorkflowWhoseTokenLifetimeEndedExpiresByItself() {
        long now = System.currentTimeMillis();
        Workflow due = new Workflow("w1", "a1", "c1", "10066", "cir", null, null, "tok", now - 1, now - 300_000);
        Workflow later = new Workflow("w2", "a1", "c2", "10066", "cir", null, null, "tok", now + 60_000, now);
        Workflow finalized = new Workflow("w3", "a1", "c3", "10066", "cir", null, null, "tok", now - 1, now);
        finalized.upload(JSON.createObjectNode().put("email", "jane@example.com"));
        finalized.markFinalized(now, 0, "PROCESSED", Outcome.PASSED);
        // what the once-a-second sweep asks
        assertTrue(due.expireIfUnfinalized("TOKEN_EXPIRED", now, now));
        assertFalse(due.expireIfUnfinalized("TOKEN_EXPIRED", now, now), "once");
        assertFalse(later.expireIfUnfinalized("TOKEN_EXPIRED", now, now));
        assertFalse(finalized.expireIfUnfinalized("TOKEN_EXPIRED", now, now));
        assertEquals("TOKEN_EXPIRED", due.status(now));
        assertEquals("INITIATED", later.status(now));
        assertEquals("PROCESSED", finalized.status(now));
    }

    // ------------------------------------------------------------------------------------------------ inventory

    @Test
    void liveWorkflowsAndDeleteCounts() throws Exception {
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("inv-a", null)).body());
        JsonNode b = JSON.readTree(createAccount(t, accountBody("inv-b", null)).body());
        uploadAndFinalize(b, "{\"email\":\"jane@example.com\"}");
        String aId = a.at("/workflowExecution/id").asText();
        String bId = b.at("/workflowExecution/id").asText();

        List<LiveWorkflow> live = sim.liveWorkflows();
        assertEquals(List.of(aId, bId), live.stream().map(LiveWorkflow::workflowExecutionId).toList());
        assertEquals(new LiveWorkflow(aId, a.at("/account/id").asText(), "INITIATED", false,
                live.get(0).createdAt(), "inv-a"), live.get(0));
        assertTrue(live.get(1).finalized());
        assertEquals("PROCESSED", live.get(1).status());

        JsonNode listed = JSON.readTree(send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/__admin/workflows"))
                .GET()).body());
        assertEquals(aId, listed.at("/0/workflowExecutionId").asText());
        assertEquals("inv-a", listed.at("/0/customerInternalReference").asText());
        assertFalse(listed.at("/0/finalized").asBoolean());
        assertTrue(listed.at("/1/finalized").asBoolean());
        assertEquals(live.get(0).createdAt().toString(), listed.at("/0/createdAt").asText());

        String aUrl = retrieval(a) + "/workflow-executions/" + aId;
        assertEquals(200, delete(aUrl, t).statusCode());
        assertEquals(404, delete(aUrl, t).statusCode());
        assertEquals(List.of(bId), sim.liveWorkflows().stream().map(LiveWorkflow::workflowExecutionId).toList());
        assertEquals(2, sim.deleteRequests(aId));
        assertEquals(0, sim.deleteRequests(bId));

        assertEquals(200, delete(retrieval(b), t).statusCode());
        assertTrue(sim.liveWorkflows().isEmpty());
        assertEquals(1, sim.deleteRequests(b.at("/account/id").asText()));
        JsonNode deletes = JSON.readTree(send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/__admin/deletes"))
                .GET()).body());
        assertEquals(2, deletes.get(aId).asInt());
        assertEquals(1, deletes.get(b.at("/account/id").asText()).asInt());
    }

    // ------------------------------------------------------------------------------------------------ finalize

    @Test
    void repeatedFinalizeAndUploadAfterFinalize() throws Exception {
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("rep-1", null)).body());
        uploadAndFinalize(a, "{\"email\":\"jane@example.com\"}");
        JsonNode api = a.at("/workflowExecution/credentials/0/api");
        String wfUrl = api.get("workflowExecution").asText();
        String wfToken = api.get("token").asText();
        String uploadUrl = api.at("/parts/prepared_data").asText();
        String wfId = a.at("/workflowExecution/id").asText();

        assertEquals(200, finalizeWf(wfUrl, wfToken).statusCode(), "by default a repeat changes nothing");
        sim.repeatFinalizeStatus(409);
        HttpResponse<String> conflict = finalizeWf(wfUrl, wfToken);
        assertEquals(409, conflict.statusCode());
        assertEquals("Conflict", JSON.readTree(conflict.body()).get("title").asText());
        assertEquals(200, admin("config", "{\"repeatFinalizeStatus\":400}").statusCode());
        assertEquals(400, finalizeWf(wfUrl, t).statusCode());
        assertEquals("PROCESSED", sim.workflowStatus(wfId));

        assertEquals(400, upload(uploadUrl, wfToken, "{\"email\":\"other@example.com\"}").statusCode());
        sim.uploadAfterFinalizeStatus(409);
        assertEquals(409, upload(uploadUrl, wfToken, "{\"email\":\"other@example.com\"}").statusCode());
        sim.uploadAfterFinalizeStatus(200);
        HttpResponse<String> accepted = upload(uploadUrl, wfToken, "{\"email\":\"other@example.com\"}");
        assertEquals(200, accepted.statusCode());
        assertEquals(wfId, JSON.readTree(accepted.body()).at("/workflowExecution/id").asText());
        assertEquals("jane@example.com", sim.uploadedData(wfId).get("email").asText(), "nothing changes");
        assertThrows(IllegalArgumentException.class, () -> sim.repeatFinalizeStatus(302));
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    @Test
    void callbacksAsJumioMaySendThem() throws Exception {
        SeededWorkflow s = sim.seedFinalizedWorkflow("10066", sink.url());
        assertNotNull(sink.bodies.poll(3, TimeUnit.SECONDS));
        sink.contentTypes.clear();
        String wf = s.workflowExecutionId();

        CallbackResult unknown = sim.sendCallback(wf, "REVIEW_PENDING");
        assertEquals(200, unknown.httpStatus());
        assertEquals("REVIEW_PENDING", JSON.readTree(sink.bodies.poll()).at("/workflowExecution/status").asText());
        assertEquals("application/json", sink.contentTypes.poll());

        CallbackResult stale = sim.sendCallback(wf, "TOKEN_EXPIRED");
        assertEquals("TOKEN_EXPIRED", stale.status());
        JsonNode staleBody = JSON.readTree(sink.bodies.poll());
        assertEquals("TOKEN_EXPIRED", staleBody.at("/workflowExecution/status").asText());
        assertEquals(s.accountId(), staleBody.at("/account/id").asText());
        assertEquals("application/json", sink.contentTypes.poll());
        assertEquals("PROCESSED", sim.workflowStatus(wf));
        String t = token();
        JsonNode st = JSON.readTree(get(sim.retrievalUrl() + "/api/v1/accounts/" + s.accountId()
                + "/workflow-executions/" + wf + "/status", t).body());
        assertEquals("PROCESSED", st.at("/workflowExecution/status").asText());

        sim.sendCallback(wf, "PROCESSED", null);
        assertEquals("null", sink.contentTypes.poll());
        sim.sendCallback(wf, "PROCESSED", "text/plain");
        assertEquals("text/plain", sink.contentTypes.poll());
        assertEquals(2, Stream.of(sink.bodies.poll(), sink.bodies.poll())
                .filter(b -> b.contains("\"PROCESSED\"")).count());

        HttpResponse<String> viaAdmin = admin("send-callback",
                "{\"workflowId\":\"" + wf + "\",\"status\":\"SESSION_EXPIRED\",\"contentType\":null}");
        assertEquals(200, JSON.readTree(viaAdmin.body()).get("httpStatus").asInt());
        assertEquals("null", sink.contentTypes.poll());
        assertEquals("SESSION_EXPIRED",
                JSON.readTree(sink.bodies.poll()).at("/workflowExecution/status").asText());
        assertEquals(6, sim.count(Endpoint.CALLBACK));
        assertEquals(400, admin("send-callback", "{\"workflowId\":\"nope\",\"status\":\"PROCESSED\"}").statusCode());
    }

    // ------------------------------------------------------------------------------------------------ User-Agent

    @Test
    void userAgentIsCheckedOnEveryHost() throws Exception {
        String t = token();
        JsonNode a = JSON.readTree(createAccount(t, accountBody("ua-1", null)).body());
        JsonNode api = a.at("/workflowExecution/credentials/0/api");
        String wf = retrieval(a) + "/workflow-executions/" + a.at("/workflowExecution/id").asText();
        Map<String, String> form = Map.of("Authorization", basic(sim.clientId(), sim.clientSecret()),
                "Content-Type", "application/x-www-form-urlencoded");
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + t, "Content-Type", "application/json");
        Map<String, String> wfBearer = Map.of("Authorization", "Bearer " + api.get("token").asText(),
                "Content-Type", "application/json");
        List<Object[]> calls = List.of(
                new Object[]{"POST", sim.authUrl() + "/oauth2/token", form, "grant_type=client_credentials"},
                new Object[]{"POST", sim.accountUrl() + "/api/v1/accounts", bearer, accountBody("ua-2", null)},
                new Object[]{"PUT", sim.accountUrl() + "/api/v1/accounts/" + a.at("/account/id").asText(), bearer,
                        accountBody("ua-3", null)},
                new Object[]{"POST", api.at("/parts/prepared_data").asText(), wfBearer,
                        "{\"email\":\"j@example.com\"}"},
                new Object[]{"PUT", api.get("workflowExecution").asText(), wfBearer, ""},
                new Object[]{"GET", wf + "/status", bearer, ""},
                new Object[]{"GET", wf, bearer, ""},
                new Object[]{"DELETE", wf, bearer, ""});
        for (Object[] c : calls) {
            @SuppressWarnings("unchecked")
            Map<String, String> h = (Map<String, String>) c[2];
            assertEquals(400, raw((String) c[0], (String) c[1], h, (String) c[3]).status(), "no UA: " + c[1]);
            for (String generic : List.of("", "Java-http-client/17.0.15", "okhttp/4.12.0", "curl/8.5.0", "AcmeBank")) {
                Map<String, String> withUa = new java.util.HashMap<>(h);
                withUa.put("User-Agent", generic);
                assertEquals(403, raw((String) c[0], (String) c[1], withUa, (String) c[3]).status(),
                        "'" + generic + "': " + c[1]);
            }
        }
        assertEquals(1 + 6, sim.count(Endpoint.TOKEN), "refused requests are counted");
        assertEquals(6, sim.count(Endpoint.DELETE));
        assertEquals(Set.of(a.at("/workflowExecution/id").asText()), sim.workflowIds(), "nothing was processed");

        for (String named : List.of("Acme Onboarding/1.4", "AcmeBank Onboarding/2.1 (jumio-risk-lambda tests)",
                "ExampleCo JumioRiskSignals/1.0.0-local", "JumioRiskLambda/1.0", "Quarkus Bank KYC/3.2")) {
            assertFalse(Router.genericUserAgent(named), named);
        }
        for (String generic : List.of(" ", "Java-http-client/17", "Vert.x-WebClient/4.5.1", "Apache-HttpClient/5.2",
                "python-requests/2.31", "Go-http-client/1.1", "aws-sdk-java/2.25", "curl", "Mozilla", "Acme App")) {
            assertTrue(Router.genericUserAgent(generic), generic);
        }

        // switched off, none is needed; the health check and the admin API never need one
        sim.checkUserAgents(false);
        assertEquals(200, raw("POST", sim.authUrl() + "/oauth2/token", form, "grant_type=client_credentials").status());
        assertEquals(200, raw("GET", wf + "/status", bearer, "").status());
        sim.checkUserAgents(true);
        assertEquals(200, raw("GET", sim.statusUrl(), Map.of(), "").status());
        assertEquals(200, raw("GET", sim.baseUrl() + "/__admin/counts", Map.of(), "").status());
        assertEquals(200, admin("config", "{\"checkUserAgents\":false}").statusCode());
        assertFalse(sim.config().checkUserAgents());
    }

    // ------------------------------------------------------------------------------------------------ access tokens

    @Test
    void sameTokenAgainWhileExpiresInStatesTheFullLifetime() throws Exception {
        sim.reuseAccessTokens(true).accessTokenExpSeconds(2);
        JsonNode first = JSON.readTree(tokenRequest(sim.clientId(), sim.clientSecret()).body());
        JsonNode second = JSON.readTree(tokenRequest(sim.clientId(), sim.clientSecret()).body());
        String token = first.get("access_token").asText();
        assertEquals(token, second.get("access_token").asText());
        assertEquals(3600, first.get("expires_in").asInt());
        assertEquals(3600, second.get("expires_in").asInt());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(claims.get("iat").asLong() + 2, claims.get("exp").asLong(), "exp is the truth");
        assertEquals(200, createAccount(token, accountBody("reuse-1", null)).statusCode());

        waitFor(() -> System.currentTimeMillis() / 1000 >= claims.get("exp").asLong() + 1, 4000);
        HttpResponse<String> expired = createAccount(token, accountBody("reuse-2", null));
        assertEquals(401, expired.statusCode());
        assertEquals(401, get(sim.retrievalUrl() + "/api/v1/accounts/x/workflow-executions/y/status", token)
                .statusCode());
        String fresh = token();
        assertNotEquals(token, fresh, "an expired token is not handed out again");
        assertEquals(200, createAccount(fresh, accountBody("reuse-3", null)).statusCode());

        sim.reuseAccessTokens(false).accessTokenExpSeconds(0);
        assertNotEquals(token(), token());
    }

    @Test
    void gzipJwtAndOpaqueTokens() throws Exception {
        sim.noRateLimits().accessTokenFormat(TokenFormat.JWT_GZIP);
        String gz = token();
        String[] parts = gz.split("\\.");
        assertEquals(3, parts.length);
        assertEquals("{\"alg\":\"HS512\",\"zip\":\"GZIP\"}",
                new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        JsonNode claims = JSON.readTree(
                new GZIPInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(parts[1]))).readAllBytes());
        assertEquals(claims.get("iat").asLong() + 3600, claims.get("exp").asLong());
        assertEquals(200, createAccount(gz, accountBody("gz-1", null)).statusCode());

        assertEquals(200, admin("config", "{\"accessTokenFormat\":\"OPAQUE\",\"workflowTokenFormat\":\"JWT_GZIP\"}")
                .statusCode());
        HttpResponse<String> r = tokenRequest(sim.clientId(), sim.clientSecret());
        String opaque = JSON.readTree(r.body()).get("access_token").asText();
        assertFalse(opaque.contains("."), opaque);
        assertEquals(3600, JSON.readTree(r.body()).get("expires_in").asInt());
        JsonNode a = JSON.readTree(createAccount(opaque, accountBody("gz-2", null)).body());
        String wfToken = a.at("/workflowExecution/credentials/0/api/token").asText();
        assertEquals("{\"alg\":\"HS512\",\"zip\":\"GZIP\"}",
                new String(Base64.getUrlDecoder().decode(wfToken.split("\\.")[0]), StandardCharsets.UTF_8));
        uploadAndFinalize(a, "{\"email\":\"jane@example.com\"}");
        assertEquals("PROCESSED", sim.workflowStatus(a.at("/workflowExecution/id").asText()));
    }

    // ------------------------------------------------------------------------------------------------ links

    @Test
    void wrongUploadAndFinalizeLinks() throws Exception {
        sim.noRateLimits();
        String t = token();
        sim.uploadLink(LinkShape.OTHER_HOST).finalizeLink(LinkShape.OTHER_HOST);
        JsonNode a = JSON.readTree(createAccount(t, accountBody("link-1", null)).body());
        String path = "/api/v1/accounts/" + a.at("/account/id").asText() + "/workflow-executions/"
                + a.at("/workflowExecution/id").asText();
        JsonNode api = a.at("/workflowExecution/credentials/0/api");
        assertEquals("https://evil.example.com" + path, api.get("workflowExecution").asText());
        assertTrue(api.at("/parts/prepared_data").asText().startsWith("https://evil.example.com" + path
                + "/credentials/"));

        sim.uploadLink(LinkShape.OTHER_PORT).finalizeLink(LinkShape.OTHER_PORT);
        api = JSON.readTree(createAccount(t, accountBody("link-2", null)).body())
                .at("/workflowExecution/credentials/0/api");
        assertTrue(api.get("workflowExecution").asText().startsWith(sim.decoyUrl() + "/api/api/v1/accounts/"));
        assertNotEquals(sim.port(), URI.create(sim.decoyUrl()).getPort());
        assertTrue(sim.strayRequests().isEmpty());
        assertEquals(404, upload(api.at("/parts/prepared_data").asText(), api.get("token").asText(),
                "{\"email\":\"jane@example.com\"}").statusCode());
        assertEquals(1, sim.count(Endpoint.STRAY));
        assertEquals("{\"email\":\"jane@example.com\"}", sim.strayRequests().get(0).body());

        sim.uploadLink(LinkShape.USER_INFO).finalizeLink(LinkShape.USER_INFO);
        a = JSON.readTree(createAccount(t, accountBody("link-3", null)).body());
        URI userInfo = URI.create(a.at("/workflowExecution/credentials/0/api/workflowExecution").asText());
        assertEquals("user:pw", userInfo.getUserInfo());
        assertEquals(URI.create(sim.apiUrl()).getPort(), userInfo.getPort());
        assertEquals("/api/api/v1/accounts/" + a.at("/account/id").asText() + "/workflow-executions/"
                + a.at("/workflowExecution/id").asText(), userInfo.getPath());

        sim.uploadLink(LinkShape.OTHER_ACCOUNT).finalizeLink(LinkShape.OTHER_WORKFLOW);
        a = JSON.readTree(createAccount(t, accountBody("link-4", null)).body());
        api = a.at("/workflowExecution/credentials/0/api");
        String otherAccount = api.at("/parts/prepared_data").asText();
        String otherWorkflow = api.get("workflowExecution").asText();
        assertFalse(otherAccount.contains(a.at("/account/id").asText()));
        assertTrue(otherAccount.contains("/workflow-executions/" + a.at("/workflowExecution/id").asText()));
        assertTrue(otherWorkflow.startsWith(sim.apiUrl() + "/api/v1/accounts/" + a.at("/account/id").asText()));
        assertFalse(otherWorkflow.contains(a.at("/workflowExecution/id").asText()));
        assertEquals(404, upload(otherAccount, api.get("token").asText(), "{\"email\":\"j@example.com\"}")
                .statusCode());
        assertEquals(404, finalizeWf(otherWorkflow, api.get("token").asText()).statusCode());
        assertEquals(3, sim.strayRequests().size());
        assertEquals(3, JSON.readTree(send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                + "/__admin/stray-requests")).GET()).body()).size());

        // the shape of recorded real answers: the simulator's own upload endpoint takes it
        assertEquals(200, admin("config", "{\"uploadLink\":\"NO_WORKFLOW_SEGMENT\",\"finalizeLink\":\"JUMIO\"}")
                .statusCode());
        a = JSON.readTree(createAccount(t, accountBody("link-5", null)).body());
        api = a.at("/workflowExecution/credentials/0/api");
        assertEquals(sim.apiUrl() + "/api/v1/accounts/" + a.at("/account/id").asText() + "/credentials/"
                + a.at("/workflowExecution/credentials/0/id").asText() + "/parts/PREPARED_DATA",
                api.at("/parts/prepared_data").asText());
        uploadAndFinalize(a, "{\"email\":\"jane@example.com\"}");
        assertEquals("jane@example.com",
                sim.uploadedData(a.at("/workflowExecution/id").asText()).get("email").asText());
        assertEquals("PROCESSED", sim.workflowStatus(a.at("/workflowExecution/id").asText()));
        assertEquals(3, sim.strayRequests().size());
        assertThrows(IllegalArgumentException.class, () -> sim.finalizeLink(LinkShape.NO_WORKFLOW_SEGMENT));
    }

    // ------------------------------------------------------------------------------------------------ rate limit

    @Test
    void accountRateAndBurstWithRetryAfter() throws Exception {
        String t = token();
        assertEquals(200, admin("config", "{\"accountRatePerSecond\":0.2,\"accountBurst\":2}").statusCode());
        assertEquals(200, createAccount(t, accountBody("rl-1", null)).statusCode());
        assertEquals(200, createAccount(t, accountBody("rl-2", null)).statusCode());
        HttpResponse<String> limited = createAccount(t, accountBody("rl-3", null));
        assertEquals(429, limited.statusCode());
        assertEquals("5", limited.headers().firstValue("Retry-After").orElse(null));
        assertEquals("Request limit exceeded", JSON.readTree(limited.body()).get("detail").asText());
        assertEquals(2, sim.workflowIds().size(), "a 429 creates nothing");
        sim.accountRateLimit(1, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, createAccount(t, accountBody("rl-b" + i, null)).statusCode());
        }
        assertEquals("1", createAccount(t, accountBody("rl-x", null)).headers().firstValue("Retry-After").orElse(null));
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
                .header("User-Agent", UA)
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

    private static String accountBody(String cir, String callbackUrl, String tokenLifetime) {
        return accountBody(cir, callbackUrl).replaceFirst("^\\{", "{\"tokenLifetime\":\"" + tokenLifetime + "\",");
    }

    private static Map<String, String> accountHeaders(String token) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json", "User-Agent", UA);
    }

    /** The retrieval URL of the account that an account answer names. */
    private String retrieval(JsonNode accountAnswer) {
        return sim.retrievalUrl() + "/api/v1/accounts/" + accountAnswer.at("/account/id").asText();
    }

    private void uploadAndFinalize(JsonNode accountAnswer, String data) throws Exception {
        JsonNode api = accountAnswer.at("/workflowExecution/credentials/0/api");
        HttpResponse<String> up = upload(api.at("/parts/prepared_data").asText(), api.get("token").asText(), data);
        assertEquals(200, up.statusCode(), up.body());
        HttpResponse<String> fin = finalizeWf(api.get("workflowExecution").asText(), api.get("token").asText());
        assertEquals(200, fin.statusCode(), fin.body());
    }

    private HttpResponse<String> delete(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).DELETE());
    }

    /** An answer read off the socket: status -1 when not a byte came. */
    private record Raw(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * One HTTP/1.1 request over a plain socket, read until the server closes: sends exactly these headers (no
     * User-Agent unless given) and sees a broken-off body as it is.
     */
    private static Raw raw(String method, String url, Map<String, String> headers, String body) throws IOException {
        URI u = URI.create(url);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(method + " " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost()
                + ":" + u.getPort() + "\r\nConnection: close\r\nContent-Length: " + b.length + "\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream os = s.getOutputStream();
            os.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            os.write(b);
            os.flush();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return new Raw(-1, Map.of(), all);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> h = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), h,
                    java.util.Arrays.copyOfRange(all, end + 4, all.length));
        }
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

    /** Sends with the application's User-Agent, as Jumio requires. */
    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return sendAs(b, UA);
    }

    /** Sends with this User-Agent ({@code null}: the HTTP client's own, {@code Java-http-client/...}). */
    private HttpResponse<String> sendAs(HttpRequest.Builder b, String userAgent) throws Exception {
        if (userAgent != null) {
            b.setHeader("User-Agent", userAgent);
        }
        return http.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        waitFor(cond, 3000);
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not met in time");
            Thread.sleep(10);
        }
    }

    /** Minimal callback receiver. */
    private static final class Sink implements AutoCloseable {
        final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        final BlockingQueue<String> userAgents = new LinkedBlockingQueue<>();
        final BlockingQueue<String> contentTypes = new LinkedBlockingQueue<>();
        final AtomicInteger hits = new AtomicInteger();
        volatile int status = 200;
        private final HttpServer server;

        Sink() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            server.createContext("/", ex -> {
                hits.incrementAndGet();
                userAgents.add(String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
                contentTypes.add(String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
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
