package io.jumiorisk.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * callback.{region}.jumio.ai: the POST that tells the callback URL a workflow execution has ended. Jumio's
 * documentation leaves the retry policy open (expect retries and duplicates, in any order), so deliveries per
 * callback, retries of failed ones and their delays are settings. A test can also send one callback of its own making
 * at once (any status, any or no Content-Type), as Jumio may send them.
 */
final class Callbacks {

    private static final String USER_AGENT = "Jumio Callback";

    /** One attempt to deliver a workflow's callback, and what is left of its retries. */
    private record Delivery(Workflow wf, String status, int attempt, int retriesLeft, long retryDelay,
            long generation) {

        Delivery retry() {
            return new Delivery(wf, status, attempt + 1, retriesLeft - 1, retryDelay, generation);
        }

        CallbackResult result(Integer httpStatus, String error) {
            return new CallbackResult(wf.callbackUrl, httpStatus, error, wf.id, status, attempt, Instant.now());
        }
    }

    private final Tenant tenant;
    private final Traffic traffic;
    private final Links links;
    private final List<CallbackResult> results = Collections.synchronizedList(new ArrayList<>());
    /** Bumped by reset() so that callbacks scheduled before it are dropped. */
    private final AtomicLong generation = new AtomicLong();

    private ScheduledExecutorService scheduler;
    private ExecutorService executor;
    private HttpClient client;

    Callbacks(Tenant tenant, Traffic traffic, Links links) {
        this.tenant = tenant;
        this.traffic = traffic;
        this.links = links;
    }

    void start() {
        scheduler = new ScheduledThreadPoolExecutor(2, JumioSimulator.daemonThreads("jumio-sim-scheduler"));
        executor = Executors.newCachedThreadPool(JumioSimulator.daemonThreads("jumio-sim-callback"));
        client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    void close() {
        scheduler.shutdownNow();
        executor.shutdownNow();
    }

    /** Every delivery attempt, in completion order. */
    List<CallbackResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Callbacks scheduled so far, and the retries of those under way, will not be sent. */
    void dropPending() {
        generation.incrementAndGet();
    }

    void clearResults() {
        results.clear();
    }

    /**
     * Sends the callback for {@code wf} with {@code status} after {@code delayMillis}, when it has a callback URL and
     * callbacks are on.
     */
    void schedule(Workflow wf, String status, long delayMillis) {
        SimulatorConfig c = tenant.cfg();
        if (!c.callbacksEnabled() || wf.callbackUrl == null || c.callbackDeliveries() <= 0) {
            return;
        }
        int deliveries = c.callbackDeliveries();
        Delivery d = new Delivery(wf, status, 1, c.callbackRetries(), c.callbackRetryDelayMillis(), generation.get());
        later(() -> {
            for (int i = 0; i < deliveries; i++) {
                deliver(d);
            }
        }, delayMillis, "callback not scheduled");
    }

    /** Runs {@code task} every {@code periodMillis} until the simulator stops. */
    void every(long periodMillis, Runnable task) {
        scheduler.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                Http.LOG.log(System.Logger.Level.WARNING, "jumio simulator periodic task failed", e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends one callback for {@code wf} with {@code status} now, whatever the workflow's own status, with
     * {@code contentType} (none when null), and waits for the answer; no retry. Counted and recorded like the others.
     */
    CallbackResult sendNow(Workflow wf, String status, String contentType) {
        if (wf.callbackUrl == null) {
            throw new IllegalArgumentException("workflow " + wf.id + " has no callbackUrl");
        }
        Delivery d = new Delivery(wf, status, 1, 0, 0, generation.get());
        byte[] body = Http.bytes(payload(wf, status));
        HttpRequest req = request(d, body, contentType);
        CallbackResult res;
        try {
            res = d.result(client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode(), null);
        } catch (IOException e) {
            res = d.result(null, String.valueOf(rootCause(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            res = d.result(null, e.toString());
        }
        results.add(res);
        return res;
    }

    private void later(Runnable task, long delayMillis, String failure) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            Http.LOG.log(System.Logger.Level.DEBUG, failure + ": {0}", e.toString());
        }
    }

    private boolean dropped(Delivery d) {
        return generation.get() != d.generation();
    }

    private void deliver(Delivery d) {
        if (dropped(d)) {
            return;
        }
        long delay = traffic.takeDelay(Endpoint.CALLBACK);
        if (delay > 0) {
            later(() -> send(d), delay, "delayed callback not scheduled");
        } else {
            send(d);
        }
    }

    private void send(Delivery d) {
        if (dropped(d)) {
            return;
        }
        byte[] body = Http.bytes(payload(d.wf(), d.status()));
        Traffic.Failure f = traffic.takeFailure(Endpoint.CALLBACK);
        if (f != null) {
            traffic.received(Endpoint.CALLBACK, "POST", d.wf().callbackUrl, headers(Http.APPLICATION_JSON), body);
            results.add(d.result(null, "suppressed by failNext(CALLBACK, " + f.status() + ")"));
            return;
        }
        HttpRequest req;
        try {
            req = request(d, body, Http.APPLICATION_JSON);
        } catch (RuntimeException e) {
            results.add(d.result(null, e.toString()));
            return;
        }
        try {
            client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                if (dropped(d)) {
                    return;
                }
                CallbackResult res = err == null
                        ? d.result(resp.statusCode(), null)
                        : d.result(null, String.valueOf(rootCause(err)));
                results.add(res);
                if (!res.delivered() && d.retriesLeft() > 0) {
                    later(() -> deliver(d.retry()), d.retryDelay(), "callback retry not scheduled");
                }
            });
        } catch (RuntimeException e) {
            results.add(d.result(null, e.toString()));
        }
    }

    /** The POST of a callback, counted and recorded as sent. */
    private HttpRequest request(Delivery d, byte[] body, String contentType) {
        String url = d.wf().callbackUrl;
        traffic.received(Endpoint.CALLBACK, "POST", url, headers(contentType), body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    private static Map<String, List<String>> headers(String contentType) {
        return contentType == null
                ? Map.of("User-Agent", List.of(USER_AGENT))
                : Map.of("Content-Type", List.of(contentType), "User-Agent", List.of(USER_AGENT));
    }

    /** Jumio's callback: ids, links and the status only, no personal data. */
    private ObjectNode payload(Workflow wf, String status) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("callbackSentAt", Http.timestamp(System.currentTimeMillis()));
        if (wf.userReference != null) {
            n.put("userReference", wf.userReference);
        }
        links.putWorkflowExecution(n, wf, status);
        links.putAccount(n, wf);
        return n;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
