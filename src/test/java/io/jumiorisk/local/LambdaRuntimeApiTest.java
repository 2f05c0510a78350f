package io.jumiorisk.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LambdaRuntimeApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaRuntimeApi api;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-function");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopFunction;

    @BeforeEach
    void start() throws Exception {
        api = new LambdaRuntimeApi("initiate", Duration.ofSeconds(10)).start();
    }

    @AfterEach
    void stop() {
        stopFunction = true;
        api.close();
        threads.shutdownNow();
    }

    private String base() {
        return "http://" + api.address() + "/2018-06-01/runtime";
    }

    /** What a runtime does: GET next, answer with what {@code answer} says. */
    private interface Answer {
        /** @return {path suffix ("response" or "error"), body, error type header or null} */
        String[] answer(HttpResponse<String> next) throws Exception;
    }

    private final List<HttpResponse<String>> seen = new CopyOnWriteArrayList<>();

    private void runFakeFunction(Answer answer) {
        threads.execute(() -> {
            while (!stopFunction) {
                try {
                    HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(base()
                            + "/invocation/next")).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (next.statusCode() != 200) {
                        return;
                    }
                    seen.add(next);
                    String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                    String[] a = answer.answer(next);
                    if (a == null) {
                        continue; // never answers
                    }
                    HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base() + "/invocation/" + id + "/"
                            + a[0])).POST(HttpRequest.BodyPublishers.ofString(a[1]));
                    if (a[2] != null) {
                        post.header("Lambda-Runtime-Function-Error-Type", a[2]);
                    }
                    HttpResponse<String> r = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException("runtime API answered " + r.statusCode());
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!stopFunction) {
                        e.printStackTrace();
                    }
                    return;
                }
            }
        });
    }

    @Test
    void aFunctionPollsNextAndAnswers() throws Exception {
        runFakeFunction(next -> new String[]{"response", "{\"echo\":" + next.body() + "}", null});

        long before = System.currentTimeMillis();
        InvocationResult r = api.invoke("{\"n\":1}", Duration.ofSeconds(10));

        assertTrue(r.isSuccess(), r.toString());
        assertEquals("{\"echo\":{\"n\":1}}", r.payload());
        HttpResponse<String> next = seen.get(0);
        assertEquals(r.requestId(), next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElse(null));
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:initiate",
                next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn").orElse(null));
        long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertTrue(deadline >= before + 9_000 && deadline <= System.currentTimeMillis() + 10_000,
                "deadline " + deadline);
        assertTrue(next.headers().firstValue("Lambda-Runtime-Trace-Id").orElse("").startsWith("Root=1-"));
        assertTrue(api.isRuntimeReady());

        // And again: the same runtime serves the next event.
        InvocationResult r2 = api.invoke("{\"n\":2}");
        assertEquals("{\"echo\":{\"n\":2}}", r2.payload());
    }

    @Test
    void aFunctionErrorComesBackWithItsType() throws Exception {
        runFakeFunction(next -> new String[]{"error",
                "{\"errorMessage\":\"Jumio is down\",\"errorType\":\"io.jumiorisk.errors.JumioUnavailable\","
                        + "\"stackTrace\":[\"a.b.C.d(C.java:1)\"]}",
                "Runtime.UserException"});

        InvocationResult r = api.invoke("{}", Duration.ofSeconds(10));

        assertTrue(r.isError(), r.toString());
        assertEquals("io.jumiorisk.errors.JumioUnavailable", r.errorType());
        JsonNode err = JSON.readTree(r.payload());
        assertEquals("Jumio is down", err.path("errorMessage").asText());
        assertEquals(1, err.path("stackTrace").size());
    }

    @Test
    void anErrorWithoutATypeInItsBodyTakesTheHeader() throws Exception {
        runFakeFunction(next -> new String[]{"error", "not json", "Runtime.Custom"});

        InvocationResult r = api.invoke("{}", Duration.ofSeconds(10));

        assertTrue(r.isError());
        assertEquals("Runtime.Custom", r.errorType());
        assertEquals("not json", JSON.readTree(r.payload()).path("errorMessage").asText());
    }

    @Test
    void noRuntimeMeansATimeout() {
        InvocationResult r = api.invoke("{}", Duration.ofMillis(300));
        assertTrue(r.isTimeout());
        assertEquals(0, api.queued(), "a timed-out event is not handed out later");
    }

    @Test
    void aLateAnswerAfterATimeoutIsRefusedAndTheNextEventStillFlows() throws Exception {
        AtomicInteger n = new AtomicInteger();
        AtomicInteger lateStatus = new AtomicInteger();
        runFakeFunction(next -> {
            if (n.incrementAndGet() == 1) {
                Thread.sleep(600); // slower than the caller's timeout
                String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                lateStatus.set(http.send(HttpRequest.newBuilder(URI.create(base() + "/invocation/" + id
                        + "/response")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                return null;
            }
            return new String[]{"response", "\"second\"", null};
        });

        assertTrue(api.invoke("{}", Duration.ofMillis(200)).isTimeout());
        InvocationResult second = api.invoke("{}", Duration.ofSeconds(10));
        assertEquals("\"second\"", second.payload());
        assertEquals(400, lateStatus.get());
    }

    @Test
    void oneInvocationAtATimeTheRestQueue() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        // Two runtimes polling, as if two processes shared the environment: still one at a time.
        Answer slow = next -> {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            Thread.sleep(100);
            running.decrementAndGet();
            return new String[]{"response", next.body(), null};
        };
        runFakeFunction(slow);
        runFakeFunction(slow);

        List<Future<InvocationResult>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String event = "{\"i\":" + i + "}";
            results.add(threads.submit(() -> api.invoke(event, Duration.ofSeconds(10))));
        }
        for (int i = 0; i < 4; i++) {
            InvocationResult r = results.get(i).get(15, TimeUnit.SECONDS);
            assertTrue(r.isSuccess(), r.toString());
            assertEquals("{\"i\":" + i + "}", r.payload());
        }
        assertEquals(1, maxRunning.get());
    }

    @Test
    void initErrorFailsWaitingInvocations() throws Exception {
        Future<InvocationResult> waiting = threads.submit(() -> api.invoke("{}", Duration.ofSeconds(10)));
        while (api.queued() == 0) {
            Thread.sleep(10);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/init/error"))
                .header("Lambda-Runtime-Function-Error-Type", "Runtime.BadFunctionCode")
                .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"no handler\","
                        + "\"errorType\":\"java.lang.ClassNotFoundException\"}"))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode());

        InvocationResult result = waiting.get(5, TimeUnit.SECONDS);
        assertTrue(result.isError());
        assertEquals("java.lang.ClassNotFoundException", result.errorType());
        assertNotNull(api.lastInitError());
    }

    @Test
    void unknownRequestIdsAndPaths() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/invocation/nope/response"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("InvalidRequestID", JSON.readTree(r.body()).path("errorType").asText());

        r = http.send(HttpRequest.newBuilder(URI.create(base() + "/invocation/nope/what"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
    }

    @Test
    void theRuntimeInvokerRoutesByFunctionName() throws Exception {
        runFakeFunction(next -> new String[]{"response", "\"ok\"", null});
        RuntimeApiFunctionInvoker invoker = new RuntimeApiFunctionInvoker(java.util.Map.of("initiate", api));

        assertEquals("\"ok\"", invoker.invoke("initiate", "{}").payload());
        InvocationResult missing = invoker.invoke("nope", "{}");
        assertTrue(missing.isError());
        assertEquals("ResourceNotFoundException", missing.errorType());
    }
}
