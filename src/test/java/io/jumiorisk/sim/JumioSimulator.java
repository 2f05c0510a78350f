package io.jumiorisk.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * In-process simulator of Jumio's v1 API (OAuth2, accounts, prepared-data upload, finalize, retrieval, callbacks),
 * served over real HTTP on 127.0.0.1 with one path prefix per Jumio host, as Jumio's public documentation describes
 * them.
 *
 * <pre>
 * try (JumioSimulator sim = new JumioSimulator(SimulatorConfig.defaults()).start()) {
 * String auth = sim.authUrl(); // http://127.0.0.1:PORT/auth
 * ...
 * }
 * </pre>
 *
 * Thread-safe. Misbehaviour can be injected from Java or through the admin HTTP API under {@code /__admin/}.
 */
public final class JumioSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JumioSimulator.class.getName());

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY every response waits ~40 ms for
        // the client's delayed ACK. Read once by com.sun.net.httpserver when its first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final String APPLICATION_JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static final String CIR_FORBIDDEN = "<>\"/;`%{}|";
    private static final String PD_FORBIDDEN = "<>\"/;%|";
    private static final List<String> PD_CHECKED_FIELDS = List.of("firstName", "lastName", "middleName",
            "paternalSurname", "maternalSurname", "email", "phoneNumber");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final Pattern TOKEN_LIFETIME = Pattern.compile("^([+-]?\\d+)([smhd])$");
    private static final List<String> LIBRARY_USER_AGENTS = List.of("java-http-client", "java/", "vert.x",
            "apache-httpclient", "okhttp", "resteasy", "quarkus", "jersey", "python-requests", "python-urllib",
            "go-http-client", "axios", "ahc/", "aws-sdk", "reactor-netty");
    private static final Set<String> EXPIRED_STATUSES = Set.of("SESSION_EXPIRED", "TOKEN_EXPIRED");

    private static final String ID = "([^/]+)";

    // ------------------------------------------------------------------------------------------------ state

    private final SimulatorConfig initial;
    private volatile SimulatorConfig cfg;

    private final SecureRandom random = new SecureRandom();
    private final byte[] hmacKey = new byte[32];

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();
    /** OAuth access token → expiry (epoch millis). */
    private final Map<String, Long> oauthTokens = new ConcurrentHashMap<>();
    /** Workflow api.token → owner. */
    private final Map<String, WorkflowToken> workflowTokens = new ConcurrentHashMap<>();

    private final Map<Endpoint, AtomicInteger> counts = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, List<RecordedRequest>> recorded = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<Failure>> failures = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<Long>> delays = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<Boolean>> unauthorized = new EnumMap<>(Endpoint.class);
    private final List<CallbackResult> callbackResults = Collections.synchronizedList(new ArrayList<>());
    private final Queue<Outcome> nextOutcomes = new ConcurrentLinkedQueue<>();
    /** Bumped by reset() so that callbacks scheduled before it are dropped. */
    private final AtomicLong generation = new AtomicLong();

    private final Map<String, RateLimiter> tokenLimiters = new ConcurrentHashMap<>();
    private volatile RateLimiter accountLimiter;
    private volatile RateLimiter retrievalLimiter;

    private final List<Route> routes = new ArrayList<>();

    private HttpServer server;
    private ThreadPoolExecutor httpExecutor;
    private ScheduledExecutorService scheduler;
    private ExecutorService callbackExecutor;
    private HttpClient callbackClient;
    private volatile String baseUrl;

    public JumioSimulator() {
        this(SimulatorConfig.defaults());
    }

    public JumioSimulator(SimulatorConfig config) {
        this.initial = Objects.requireNonNull(config).copy();
        this.cfg = initial.copy();
        random.nextBytes(hmacKey);
        for (Endpoint e : Endpoint.values()) {
            counts.put(e, new AtomicInteger());
            recorded.put(e, Collections.synchronizedList(new ArrayList<>()));
            failures.put(e, new Injections<>());
            delays.put(e, new Injections<>());
            unauthorized.put(e, new Injections<>());
        }
        rebuildLimiters();
        defineRoutes();
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Starts the HTTP server; returns this. */
    public synchronized JumioSimulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), cfg.port()), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind jumio simulator on port " + cfg.port(), e);
        }
        // Grows beyond the core size on demand, so that injected delays never stall other requests.
        httpExecutor = new ThreadPoolExecutor(cfg.threads(), Math.max(256, cfg.threads()), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("jumio-sim-http"));
        scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("jumio-sim-scheduler"));
        callbackExecutor = Executors.newCachedThreadPool(daemonThreads("jumio-sim-callback"));
        callbackClient = HttpClient.newBuilder()
                .executor(callbackExecutor)
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        server.setExecutor(httpExecutor);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        LOG.log(System.Logger.Level.DEBUG, "jumio simulator started on {0}", baseUrl);
        return this;
    }

    /** Stops the server and all its executors. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            httpExecutor.shutdownNow();
            scheduler.shutdownNow();
            callbackExecutor.shutdownNow();
            server = null;
        }
    }

    public String baseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("not started");
        }
        return baseUrl;
    }

    public int port() {
        return Integer.parseInt(baseUrl().substring(baseUrl().lastIndexOf(':') + 1));
    }

    public String authUrl() {
        return baseUrl() + "/auth";
    }

    public String accountUrl() {
        return baseUrl() + "/account";
    }

    public String apiUrl() {
        return baseUrl() + "/api";
    }

    public String retrievalUrl() {
        return baseUrl() + "/retrieval";
    }

    /** Health URL ({@code GET} → {@code {"status":"UP","details":{}}}). */
    public String statusUrl() {
        return baseUrl() + "/status";
    }

    public String clientId() {
        return cfg.clientId();
    }

    public String clientSecret() {
        return cfg.clientSecret();
    }

    /**
     * The live configuration (changes take effect for later requests; rate changes need {@link #rateLimitsChanged()}).
     */
    public SimulatorConfig config() {
        return cfg;
    }

    // ------------------------------------------------------------------------------------------------ test API

    /**
     * The next {@code times} requests to {@code e} answer {@code httpStatus} with a problem body, before doing
     * anything.
     */
    public JumioSimulator failNext(Endpoint e, int httpStatus, int times) {
        return failNext(e, httpStatus, times, null);
    }

    /**
     * As {@link #failNext(Endpoint, int, int)}, with a {@code Retry-After} header when {@code retryAfterSeconds} is not
     * null.
     */
    public JumioSimulator failNext(Endpoint e, int httpStatus, int times, Integer retryAfterSeconds) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 4xx or 5xx: " + httpStatus);
        }
        failures.get(Objects.requireNonNull(e)).add(new Failure(httpStatus, retryAfterSeconds), times);
        return this;
    }

    /**
     * The next {@code times} requests to {@code e} are answered only after {@code millis} (other requests are not
     * stalled).
     */
    public JumioSimulator delayNext(Endpoint e, long millis, int times) {
        delays.get(Objects.requireNonNull(e)).add(Math.max(0, millis), times);
        return this;
    }

    /** The next {@code times} requests to {@code e} answer 401 even with a valid token (as if it had been revoked). */
    public JumioSimulator unauthorizedNext(Endpoint e, int times) {
        unauthorized.get(Objects.requireNonNull(e)).add(Boolean.TRUE, times);
        return this;
    }

    /** {@code expires_in} of OAuth tokens issued from now on. */
    public JumioSimulator tokenLifetimeSeconds(int seconds) {
        cfg.tokenLifetimeSeconds(seconds);
        return this;
    }

    /** All OAuth tokens issued so far become invalid (401). Workflow api.tokens are unaffected. */
    public JumioSimulator revokeAllTokens() {
        oauthTokens.clear();
        return this;
    }

    public JumioSimulator callbacks(boolean enabled) {
        cfg.callbacksEnabled(enabled);
        return this;
    }

    public JumioSimulator callbackDelayMillis(long millis) {
        cfg.callbackDelayMillis(millis);
        return this;
    }

    /** Terminal status of workflows finalized from now on: PROCESSED, SESSION_EXPIRED or TOKEN_EXPIRED. */
    public JumioSimulator callbackStatus(String status) {
        cfg.callbackStatus(status);
        return this;
    }

    public JumioSimulator callbackDeliveries(int deliveries) {
        cfg.callbackDeliveries(deliveries);
        return this;
    }

    public JumioSimulator callbackRetries(int retries) {
        cfg.callbackRetries(retries);
        return this;
    }

    /**
     * Whether the OAuth2 client holds Jumio's "retrieve &amp; delete" permission; without it retrieval and DELETE get
     * 403.
     */
    public JumioSimulator retrieveAndDeletePermission(boolean granted) {
        cfg.retrieveAndDeletePermission(granted);
        return this;
    }

    public JumioSimulator processingDelayMillis(long millis) {
        cfg.processingDelayMillis(millis);
        return this;
    }

    public JumioSimulator defaultOutcome(String decisionType, String label, int score) {
        cfg.defaultOutcome(new Outcome(decisionType, label, score));
        return this;
    }

    /** The next workflow finalized (or seeded) gets this outcome, whatever its data. */
    public JumioSimulator nextOutcome(String decisionType, String label, int score) {
        return nextOutcome(decisionType, label, score, 1);
    }

    /** The next {@code times} workflows finalized (or seeded) get this outcome. */
    public JumioSimulator nextOutcome(String decisionType, String label, int score, int times) {
        Outcome o = new Outcome(decisionType, label, score);
        for (int i = 0; i < times; i++) {
            nextOutcomes.add(o);
        }
        return this;
    }

    /** Token endpoint limit per client (0 disables). */
    public JumioSimulator tokenRateLimit(double perSecond) {
        cfg.tokenRatePerSecond(perSecond);
        return rateLimitsChanged();
    }

    /** Account endpoints limit (0 disables). */
    public JumioSimulator accountRateLimit(double perSecond, int burst) {
        cfg.accountRatePerSecond(perSecond).accountBurst(burst);
        return rateLimitsChanged();
    }

    /** Retrieval host limit (0 disables). */
    public JumioSimulator retrievalRateLimit(double perSecond) {
        cfg.retrievalRatePerSecond(perSecond);
        return rateLimitsChanged();
    }

    /** Disables all rate limits (until reset). */
    public JumioSimulator noRateLimits() {
        cfg.noRateLimits();
        return rateLimitsChanged();
    }

    /** Applies rate settings changed through {@link #config()} and refills all buckets. */
    public JumioSimulator rateLimitsChanged() {
        rebuildLimiters();
        return this;
    }

    /**
     * Ends a workflow with {@code status} (TOKEN_EXPIRED or SESSION_EXPIRED) and, when it has a callbackUrl and
     * callbacks are enabled, sends the callback after the callback delay.
     */
    public JumioSimulator expire(String workflowId, String status) {
        String s = Objects.requireNonNull(status).toUpperCase(Locale.ROOT);
        if (!EXPIRED_STATUSES.contains(s)) {
            throw new IllegalArgumentException("status must be one of " + EXPIRED_STATUSES + ": " + status);
        }
        Workflow wf = workflows.get(workflowId);
        if (wf == null) {
            throw new IllegalArgumentException("unknown workflow " + workflowId);
        }
        wf.expire(s, System.currentTimeMillis());
        scheduleCallback(wf, s, cfg.callbackDelayMillis());
        return this;
    }

    /** Current status of a workflow (INITIATED, ACQUIRED, PROCESSED, ...) or null if unknown. */
    public String workflowStatus(String workflowId) {
        Workflow wf = workflows.get(workflowId);
        return wf == null ? null : wf.status(System.currentTimeMillis());
    }

    /** Copy of the prepared data uploaded for a workflow, or null. */
    public JsonNode uploadedData(String workflowId) {
        Workflow wf = workflows.get(workflowId);
        JsonNode pd = wf == null ? null : wf.preparedData();
        return pd == null ? null : pd.deepCopy();
    }

    /** Ids of all workflows currently known. */
    public Set<String> workflowIds() {
        return Set.copyOf(workflows.keySet());
    }

    /** Requests received per endpoint, including failed ones (for CALLBACK: delivery attempts). */
    public int count(Endpoint e) {
        return counts.get(e).get();
    }

    public Map<Endpoint, Integer> counts() {
        Map<Endpoint, Integer> m = new EnumMap<>(Endpoint.class);
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Requests received for {@code e} (for CALLBACK: callbacks sent, with path = URL), oldest first. */
    public List<RecordedRequest> requests(Endpoint e) {
        List<RecordedRequest> l = recorded.get(e);
        synchronized (l) {
            return List.copyOf(l);
        }
    }

    /** Every callback delivery attempt, in completion order. */
    public List<CallbackResult> callbackResults() {
        synchronized (callbackResults) {
            return List.copyOf(callbackResults);
        }
    }

    /** Drops pending failure, delay and 401 injections, keeping Jumio's state (accounts, workflows, tokens). */
    public JumioSimulator clearFaults() {
        for (Endpoint e : Endpoint.values()) {
            failures.get(e).clear();
            delays.get(e).clear();
            unauthorized.get(e).clear();
        }
        return this;
    }

    /** Zeroes the request counters and recordings, keeping Jumio's state. */
    public JumioSimulator resetCounts() {
        for (Endpoint e : Endpoint.values()) {
            counts.get(e).set(0);
            recorded.get(e).clear();
        }
        return this;
    }

    /**
     * Clears state (but not issued OAuth tokens), counters, recordings, injections and pending callbacks; config back
     * to the constructor's.
     */
    public JumioSimulator reset() {
        generation.incrementAndGet();
        SimulatorConfig fresh = initial.copy();
        if (baseUrl != null) {
            fresh.port(port());
        }
        cfg = fresh;
        accounts.clear();
        workflows.clear();
        // Issued OAuth tokens survive a reset, as they would at a real tenant: a warm container under test keeps
        // using its token, and counts start from a clean slate. revokeAllTokens() is the explicit way to drop them.
        workflowTokens.clear();
        nextOutcomes.clear();
        for (Endpoint e : Endpoint.values()) {
            counts.get(e).set(0);
            recorded.get(e).clear();
            failures.get(e).clear();
            delays.get(e).clear();
            unauthorized.get(e).clear();
        }
        callbackResults.clear();
        rebuildLimiters();
        return this;
    }

    /** Seeds a finalized, processed workflow (with generic prepared data); sends its callback if callbackUrl is set. */
    public SeededWorkflow seedFinalizedWorkflow(String workflowKey, String callbackUrl) {
        return seedFinalizedWorkflow(workflowKey, callbackUrl, null, null);
    }

    /**
     * Seeds a finalized, processed workflow. {@code preparedData} (may be null for a generic set) drives the outcome
     * like an upload would; {@code userReference} may be null.
     */
    public SeededWorkflow seedFinalizedWorkflow(String workflowKey, String callbackUrl, String userReference,
            Map<String, ?> preparedData) {
        Objects.requireNonNull(workflowKey, "workflowKey");
        long now = System.currentTimeMillis();
        Account acc = new Account(uuid());
        accounts.put(acc.id, acc);
        String cir = "seeded-" + UUID.randomUUID().toString().substring(0, 8);
        Workflow wf = newWorkflow(acc, workflowKey, cir, userReference, callbackUrl, 30 * 60, now);
        JsonNode pd = preparedData == null ? defaultPreparedData() : JSON.valueToTree(preparedData);
        wf.upload((ObjectNode) pd, now);
        Outcome outcome = decideOutcome(pd);
        String terminal = cfg.callbackStatus();
        wf.markFinalized(now, 0, terminal, outcome);
        scheduleCallback(wf, terminal, cfg.callbackDelayMillis());
        return new SeededWorkflow(acc.id, wf.id);
    }

    // ------------------------------------------------------------------------------------------------ HTTP plumbing

    private interface Handler {
        Response handle(Req r) throws Exception;
    }

    private record Op(Endpoint endpoint, Handler handler) {
    }

    private record Route(Pattern pattern, Endpoint primary, Map<String, Op> ops) {
    }

    private record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    private record Failure(int status, Integer retryAfterSeconds) {
    }

    private static final class Req {
        final HttpExchange ex;
        final String method;
        final String path;
        final List<String> params;
        final byte[] body;
        final boolean forceUnauthorized;

        Req(HttpExchange ex, String method, String path, List<String> params, byte[] body, boolean forceUnauthorized) {
            this.ex = ex;
            this.method = method;
            this.path = path;
            this.params = params;
            this.body = body;
            this.forceUnauthorized = forceUnauthorized;
        }

        String header(String name) {
            return ex.getRequestHeaders().getFirst(name);
        }

        String param(int i) {
            return params.get(i);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String title;
        final Map<String, String> headers = new LinkedHashMap<>();

        ApiException(int status, String detail) {
            this(status, reason(status), detail);
        }

        ApiException(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }

        ApiException header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    private void defineRoutes() {
        route("/auth/oauth2/token", Endpoint.TOKEN, "POST", Endpoint.TOKEN, this::token);
        route("/account/api/v1/accounts/?", Endpoint.ACCOUNT_CREATE, "POST", Endpoint.ACCOUNT_CREATE,
                this::accountCreate);
        route("/account/api/v1/accounts/" + ID, Endpoint.ACCOUNT_UPDATE, "PUT", Endpoint.ACCOUNT_UPDATE,
                this::accountUpdate);
        route("/api/api/v1/accounts/" + ID + "/workflow-executions/" + ID + "/credentials/" + ID
                + "/parts/PREPARED_DATA",
                Endpoint.UPLOAD, "POST", Endpoint.UPLOAD, this::upload);
        route("/api/api/v1/accounts/" + ID + "/workflow-executions/" + ID, Endpoint.FINALIZE, "PUT", Endpoint.FINALIZE,
                this::finalizeWorkflow);
        route("/retrieval/api/v1/accounts/" + ID + "/workflow-executions/" + ID + "/status", Endpoint.STATUS,
                "GET", Endpoint.STATUS, this::status);
        Map<String, Op> wfOps = new LinkedHashMap<>();
        wfOps.put("GET", new Op(Endpoint.DETAILS, this::details));
        wfOps.put("DELETE", new Op(Endpoint.DELETE, this::deleteWorkflow));
        routes.add(new Route(Pattern.compile("^/retrieval/api/v1/accounts/" + ID + "/workflow-executions/" + ID + "$"),
                Endpoint.DETAILS, wfOps));
        route("/retrieval/api/v1/accounts/" + ID, Endpoint.DELETE, "DELETE", Endpoint.DELETE, this::deleteAccount);
    }

    private void route(String regex, Endpoint primary, String method, Endpoint endpoint, Handler h) {
        routes.add(new Route(Pattern.compile("^" + regex + "$"), primary, Map.of(method, new Op(endpoint, h))));
    }

    private void handle(HttpExchange ex) {
        Response resp;
        try {
            resp = dispatch(ex);
        } catch (ApiException e) {
            resp = problem(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resp = problem(new ApiException(503, "Simulator shutting down"));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "jumio simulator internal error", e);
            resp = problem(new ApiException(500, "Simulator error: " + e));
        }
        send(ex, resp);
    }

    private Response dispatch(HttpExchange ex) throws Exception {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getRawPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.startsWith("/__admin/")) {
            return admin(method, path, ex.getRequestURI().getRawQuery(), body);
        }
        if (path.equals("/status") || path.equals("/status/")) {
            if (!method.equals("GET")) {
                throw new ApiException(405, "Method " + method + " not allowed").header("Allow", "GET");
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("status", "UP");
            n.putObject("details");
            return json(200, n);
        }
        for (Route route : routes) {
            Matcher m = route.pattern.matcher(path);
            if (!m.matches()) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
            }
            Op op = route.ops.get(method);
            Endpoint ep = op == null ? route.primary : op.endpoint;
            counts.get(ep).incrementAndGet();
            record(ep, method, ex.getRequestURI().toString(), ex.getRequestHeaders(), body);
            if (op == null) {
                throw new ApiException(405, "Method " + method + " not allowed on this resource")
                        .header("Allow", String.join(", ", route.ops.keySet()));
            }
            Long delay = delays.get(ep).take();
            if (delay != null && delay > 0) {
                Thread.sleep(delay);
            }
            Failure f = failures.get(ep).take();
            if (f != null) {
                ApiException e = new ApiException(f.status, "Simulated failure");
                if (f.retryAfterSeconds != null) {
                    e.header("Retry-After", String.valueOf(f.retryAfterSeconds));
                }
                throw e;
            }
            boolean forceUnauthorized = unauthorized.get(ep).take() != null;
            return op.handler.handle(new Req(ex, method, path, params, body, forceUnauthorized));
        }
        throw new ApiException(404, "No resource at " + path);
    }

    private void record(Endpoint ep, String method, String path, Map<String, List<String>> headers, byte[] body) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, String.join(",", v)));
        recorded.get(ep).add(new RecordedRequest(ep, method, path, Collections.unmodifiableMap(h),
                new String(body, StandardCharsets.UTF_8), Instant.now()));
    }

    private static void send(HttpExchange ex, Response resp) {
        try {
            if (resp.contentType != null) {
                ex.getResponseHeaders().set("Content-Type", resp.contentType);
            }
            if (resp.headers != null) {
                resp.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            }
            byte[] body = resp.body == null ? new byte[0] : resp.body;
            ex.sendResponseHeaders(resp.status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.toString());
        } finally {
            ex.close();
        }
    }

    private static Response json(int status, JsonNode body) {
        return json(status, body, null);
    }

    private static Response json(int status, JsonNode body, Map<String, String> headers) {
        try {
            return new Response(status, APPLICATION_JSON, JSON.writeValueAsBytes(body), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response problem(ApiException e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("title", e.title);
        n.put("status", e.status);
        n.put("detail", e.getMessage());
        try {
            return new Response(e.status, PROBLEM_JSON, JSON.writeValueAsBytes(n), e.headers);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
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

    // ------------------------------------------------------------------------------------------------ token

    private Response token(Req r) {
        if (r.forceUnauthorized) {
            return oauthError(401, "invalid_client");
        }
        String[] creds = parseBasic(r.header("Authorization"));
        SimulatorConfig c = cfg;
        if (creds == null || !creds[0].equals(c.clientId()) || !creds[1].equals(c.clientSecret())) {
            return oauthError(401, "invalid_client");
        }
        RateLimiter limiter = tokenLimiters.computeIfAbsent(creds[0], k -> new RateLimiter(c.tokenRatePerSecond(),
                Math.max(1, c.tokenRatePerSecond())));
        if (!limiter.tryAcquire()) {
            throw tooManyRequests();
        }
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return oauthError(400, "invalid_request");
        }
        Map<String, String> form = parseForm(r.bodyText());
        String grant = form.get("grant_type");
        if (grant == null) {
            return oauthError(400, "invalid_request");
        }
        if (!grant.equals("client_credentials")) {
            return oauthError(400, "unsupported_grant_type");
        }
        int lifetime = c.tokenLifetimeSeconds();
        long now = System.currentTimeMillis();
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", authUrl());
        claims.put("sub", creds[0]);
        claims.put("iat", now / 1000);
        claims.put("exp", now / 1000 + lifetime);
        claims.put("jti", uuid());
        claims.put("scope", "initiate retrieve delete");
        String token = jwt(claims);
        oauthTokens.put(token, now + lifetime * 1000L);
        ObjectNode n = JSON.createObjectNode();
        n.put("access_token", token);
        n.put("expires_in", lifetime);
        n.put("token_type", "Bearer");
        return json(200, n, Map.of("Cache-Control", "no-store"));
    }

    private static Response oauthError(int status, String error) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", error);
        Map<String, String> h = status == 401 ? Map.of("WWW-Authenticate", "Basic realm=\"jumio\"") : null;
        return json(status, n, h);
    }

    private static String[] parseBasic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int i = decoded.indexOf(':');
            return i < 0 ? null : new String[]{decoded.substring(0, i), decoded.substring(i + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> parseForm(String body) {
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

    private String jwt(ObjectNode claims) {
        try {
            Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
            String header = enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = enc.encodeToString(JSON.writeValueAsBytes(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + enc.encodeToString(sig);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bearer(Req r) {
        String h = r.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    private boolean validOAuth(String token) {
        if (token == null) {
            return false;
        }
        Long exp = oauthTokens.get(token);
        return exp != null && System.currentTimeMillis() < exp;
    }

    private static ApiException unauthorizedProblem() {
        return new ApiException(401, "Unauthorized", "The provided credentials are invalid")
                .header("WWW-Authenticate", "Bearer");
    }

    private static ApiException tooManyRequests() {
        return new ApiException(429, "Too Many Requests", "Request limit exceeded").header("Retry-After", "1");
    }

    /** OAuth bearer token required (account and retrieval hosts). */
    private void requireOAuth(Req r) {
        if (r.forceUnauthorized) {
            throw unauthorizedProblem();
        }
        String t = bearer(r);
        if (validOAuth(t)) {
            return;
        }
        if (t != null && workflowTokens.containsKey(t)) {
            throw new ApiException(403, "Forbidden", "A workflow execution token cannot be used for this operation");
        }
        throw unauthorizedProblem();
    }

    /** Retrieval and deletion need the client's "retrieve & delete" permission; initiating does not. */
    private void requireRetrieveAndDelete(Req r) {
        requireOAuth(r);
        if (!cfg.retrieveAndDeletePermission()) {
            throw new ApiException(403, "Forbidden", "The OAuth2 client lacks the 'retrieve & delete' permission");
        }
    }

    // ------------------------------------------------------------------------------------------------ accounts

    private record AccountRequest(String key, String customerInternalReference, String userReference,
            String callbackUrl, long tokenLifetimeSeconds) {
    }

    private Response accountCreate(Req r) {
        requireOAuth(r);
        checkUserAgent(r);
        if (!accountLimiter.tryAcquire()) {
            throw tooManyRequests();
        }
        AccountRequest ar = parseAccountRequest(r);
        Account acc = new Account(uuid());
        accounts.put(acc.id, acc);
        return accountResponse(acc, ar);
    }

    private Response accountUpdate(Req r) {
        requireOAuth(r);
        checkUserAgent(r);
        if (!accountLimiter.tryAcquire()) {
            throw tooManyRequests();
        }
        Account acc = accounts.get(r.param(0));
        if (acc == null) {
            throw new ApiException(404, "Account " + r.param(0) + " not found");
        }
        return accountResponse(acc, parseAccountRequest(r));
    }

    private Response accountResponse(Account acc, AccountRequest ar) {
        long now = System.currentTimeMillis();
        Workflow wf = newWorkflow(acc, ar.key, ar.customerInternalReference, ar.userReference, ar.callbackUrl,
                ar.tokenLifetimeSeconds, now);
        ObjectNode n = JSON.createObjectNode();
        n.put("timestamp", ts(now));
        n.putObject("account").put("id", acc.id);
        ObjectNode we = n.putObject("workflowExecution");
        we.put("id", wf.id);
        ObjectNode cred = we.putArray("credentials").addObject();
        cred.put("id", wf.credentialId);
        cred.put("category", "DATA");
        cred.putArray("allowedChannels").add("API");
        ObjectNode api = cred.putObject("api");
        api.put("token", wf.apiToken);
        api.putObject("parts").put("prepared_data", preparedDataUrl(wf));
        api.put("workflowExecution", workflowApiUrl(wf));
        return json(200, n);
    }

    private Workflow newWorkflow(Account acc, String key, String cir, String userReference, String callbackUrl,
            long tokenLifetimeSeconds, long now) {
        String wfId = uuid();
        long tokenExp = now + tokenLifetimeSeconds * 1000L;
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", apiUrl());
        claims.put("sub", wfId);
        claims.put("acc", acc.id);
        claims.put("iat", now / 1000);
        claims.put("exp", tokenExp / 1000);
        claims.put("jti", uuid());
        String apiToken = jwt(claims);
        Workflow wf = new Workflow(wfId, acc.id, uuid(), key, cir, userReference, callbackUrl, apiToken, now);
        workflowTokens.put(apiToken, new WorkflowToken(wfId, tokenExp));
        workflows.put(wfId, wf);
        acc.workflowIds.add(wfId);
        return wf;
    }

    private void checkUserAgent(Req r) {
        String ua = r.header("User-Agent");
        if (ua == null || ua.isBlank()) {
            throw new ApiException(400,
                    "Missing User-Agent header; Jumio requires 'User-Agent: <Company> <App>/<version>'");
        }
        if (cfg.rejectLibraryUserAgents()) {
            String lower = ua.trim().toLowerCase(Locale.ROOT);
            for (String lib : LIBRARY_USER_AGENTS) {
                if (lower.startsWith(lib)) {
                    throw new ApiException(403, "Forbidden", "Suspicious User-Agent '" + ua
                            + "' (an HTTP library default); Jumio requires 'User-Agent: <Company> <App>/<version>'");
                }
            }
        }
    }

    private AccountRequest parseAccountRequest(Req r) {
        requireJsonContentType(r);
        JsonNode body = parseJsonObject(r.body);
        JsonNode cirNode = body.get("customerInternalReference");
        if (cirNode == null || cirNode.isNull()) {
            throw bad("customerInternalReference is required");
        }
        String cir = requireText(cirNode, "customerInternalReference", 1, 100);
        for (char ch : cir.toCharArray()) {
            if (CIR_FORBIDDEN.indexOf(ch) >= 0) {
                throw bad("customerInternalReference contains a forbidden character '" + ch + "'");
            }
        }
        JsonNode wd = body.get("workflowDefinition");
        if (wd == null || wd.isNull()) {
            throw bad("workflowDefinition is required");
        }
        if (!wd.isObject()) {
            throw bad("workflowDefinition must be an object");
        }
        JsonNode keyNode = wd.get("key");
        String key;
        if (keyNode == null || keyNode.isNull()) {
            throw bad("workflowDefinition.key is required");
        } else if (keyNode.isIntegralNumber()) {
            key = keyNode.asText();
        } else if (keyNode.isTextual() && !keyNode.asText().isBlank()) {
            key = keyNode.asText().trim();
        } else {
            throw bad("workflowDefinition.key must be a number or a non-empty string");
        }
        JsonNode creds = wd.get("credentials");
        if (creds != null && !creds.isNull() && !creds.isArray()) {
            throw bad("workflowDefinition.credentials must be an array");
        }
        JsonNode caps = wd.get("capabilities");
        if (caps != null && !caps.isNull() && !caps.isObject()) {
            throw bad("workflowDefinition.capabilities must be an object");
        }
        String userReference = optionalText(body, "userReference", 1, 100);
        optionalText(body, "reportingCriteria", 1, 255);
        String callbackUrl = optionalText(body, "callbackUrl", 1, 255);
        if (callbackUrl != null) {
            try {
                URI u = new URI(callbackUrl);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null) {
                    throw bad("callbackUrl must be an absolute https URL");
                }
                if (u.getRawFragment() != null) {
                    throw bad("callbackUrl must not contain a fragment");
                }
            } catch (java.net.URISyntaxException e) {
                throw bad("callbackUrl is not a valid URL");
            }
        }
        String tl = optionalText(body, "tokenLifetime", 1, 20);
        long lifetime = 30 * 60;
        if (tl != null) {
            Matcher m = TOKEN_LIFETIME.matcher(tl);
            if (!m.matches()) {
                throw bad("tokenLifetime must match ^([+-]?\\d+)([smhd])$");
            }
            long v;
            try {
                v = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw bad("tokenLifetime is out of range (5m..60d)");
            }
            long unit = switch (m.group(2)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86400;
            };
            lifetime = v * unit;
            if (v > 60L * 86400 || lifetime < 300 || lifetime > 60L * 86400) {
                throw bad("tokenLifetime is out of range (5m..60d)");
            }
        }
        JsonNode consent = body.get("userConsent");
        if (consent != null && !consent.isNull() && !consent.isObject()) {
            throw bad("userConsent must be an object");
        }
        return new AccountRequest(key, cir, userReference, callbackUrl, lifetime);
    }

    private static void requireJsonContentType(Req r) {
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).trim().startsWith(APPLICATION_JSON)) {
            throw bad("Content-Type must be application/json");
        }
    }

    private static ObjectNode parseJsonObject(byte[] body) {
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

    private static String requireText(JsonNode n, String field, int min, int max) {
        if (!n.isTextual()) {
            throw bad(field + " must be a string");
        }
        String s = n.asText();
        if (s.length() < min || s.length() > max) {
            throw bad(field + " must be " + min + "-" + max + " characters long");
        }
        return s;
    }

    private static String optionalText(JsonNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        return requireText(n, field, min, max);
    }

    private static ApiException bad(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    // ------------------------------------------------------------------------------------------------ upload, finalize

    private Workflow findWorkflow(String accountId, String workflowId) {
        Workflow wf = workflows.get(workflowId);
        if (wf == null || !wf.accountId.equals(accountId)) {
            throw new ApiException(404, "Workflow execution " + workflowId + " not found for account " + accountId);
        }
        return wf;
    }

    private Response upload(Req r) {
        if (r.forceUnauthorized) {
            throw unauthorizedProblem();
        }
        String t = bearer(r);
        WorkflowToken wt = t == null ? null : workflowTokens.get(t);
        boolean oauth = validOAuth(t);
        if (wt == null && !oauth) {
            throw unauthorizedProblem();
        }
        Workflow wf = findWorkflow(r.param(0), r.param(1));
        if (!wf.credentialId.equals(r.param(2))) {
            throw new ApiException(404, "Credential " + r.param(2) + " not found");
        }
        if (wt == null) {
            throw new ApiException(403, "Forbidden", "Prepared data must be uploaded with the credential's api.token");
        }
        if (!wt.workflowId.equals(wf.id)) {
            throw new ApiException(403, "Forbidden", "The token does not belong to this workflow execution");
        }
        long now = System.currentTimeMillis();
        if (now >= wt.expiresAt) {
            throw unauthorizedProblem();
        }
        requireJsonContentType(r);
        ObjectNode pd = parseJsonObject(r.body);
        validatePreparedData(pd);
        String st = wf.status(now);
        if (!st.equals("INITIATED")) {
            throw bad("Workflow execution is " + st + "; prepared data can no longer be uploaded");
        }
        wf.upload(pd, now);
        ObjectNode n = JSON.createObjectNode();
        n.put("timestamp", ts(now));
        n.putObject("account").put("id", wf.accountId);
        n.putObject("workflowExecution").put("id", wf.id);
        ObjectNode api = n.putObject("api");
        api.put("token", wf.apiToken);
        api.putObject("parts");
        api.put("workflowExecution", workflowApiUrl(wf));
        return json(200, n);
    }

    private static void validatePreparedData(ObjectNode pd) {
        for (String f : PD_CHECKED_FIELDS) {
            JsonNode v = pd.get(f);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isTextual()) {
                throw bad(f + " must be a string");
            }
            String s = v.asText();
            for (char ch : s.toCharArray()) {
                if (PD_FORBIDDEN.indexOf(ch) >= 0) {
                    throw bad(f + " contains a forbidden character '" + ch + "'");
                }
            }
        }
        JsonNode phone = pd.get("phoneNumber");
        if (phone != null && !phone.isNull() && !E164.matcher(phone.asText()).matches()) {
            throw bad("phoneNumber must be in E.164 format (e.g. +14155550123)");
        }
        JsonNode dob = pd.get("dateOfBirth");
        if (dob != null && !dob.isNull()) {
            if (!dob.isTextual() || !DATE.matcher(dob.asText()).matches()) {
                throw bad("dateOfBirth must be YYYY-MM-DD");
            }
            try {
                LocalDate.parse(dob.asText());
            } catch (DateTimeParseException e) {
                throw bad("dateOfBirth must be YYYY-MM-DD");
            }
        }
    }

    private Response finalizeWorkflow(Req r) {
        if (r.forceUnauthorized) {
            throw unauthorizedProblem();
        }
        String t = bearer(r);
        WorkflowToken wt = t == null ? null : workflowTokens.get(t);
        long now = System.currentTimeMillis();
        boolean oauth = validOAuth(t);
        if (!oauth && (wt == null || now >= wt.expiresAt)) {
            throw unauthorizedProblem();
        }
        Workflow wf = findWorkflow(r.param(0), r.param(1));
        if (!oauth && !wt.workflowId.equals(wf.id)) {
            throw new ApiException(403, "Forbidden", "The token does not belong to this workflow execution");
        }
        if (r.body.length > 0 && !r.bodyText().isBlank()) {
            parseJsonObject(r.body);
        }
        String terminal = cfg.callbackStatus();
        long processing = cfg.processingDelayMillis();
        boolean first;
        synchronized (wf) {
            String st = wf.status(now);
            if (wf.preparedData() == null) {
                throw bad("Prepared data must be uploaded before finalizing the workflow execution");
            }
            if (EXPIRED_STATUSES.contains(st) && wf.finalizedAt == 0) {
                throw bad("Workflow execution is " + st);
            }
            first = st.equals("INITIATED");
            if (first) {
                wf.markFinalized(now, processing, terminal, decideOutcome(wf.preparedData()));
            }
        }
        if (first) {
            scheduleCallback(wf, terminal, processing + cfg.callbackDelayMillis());
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("timestamp", ts(now));
        n.putObject("account").put("id", wf.accountId);
        n.putObject("workflowExecution").put("id", wf.id);
        return json(200, n);
    }

    private Outcome decideOutcome(JsonNode preparedData) {
        Outcome next = nextOutcomes.poll();
        if (next != null) {
            return next;
        }
        List<String> values = new ArrayList<>();
        collectText(preparedData, values);
        if (values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("reject"))) {
            return Outcome.REJECTED;
        }
        if (values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("warn"))) {
            return Outcome.WARNING;
        }
        return cfg.defaultOutcome();
    }

    private static void collectText(JsonNode n, List<String> out) {
        if (n == null) {
            return;
        }
        if (n.isValueNode()) {
            out.add(n.asText());
        } else {
            for (JsonNode c : n) {
                collectText(c, out);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ retrieval

    private Response status(Req r) {
        requireRetrieveAndDelete(r);
        if (!retrievalLimiter.tryAcquire()) {
            throw tooManyRequests();
        }
        Workflow wf = findWorkflow(r.param(0), r.param(1));
        String st = wf.status(System.currentTimeMillis());
        ObjectNode n = JSON.createObjectNode();
        ObjectNode a = n.putObject("account");
        a.put("id", wf.accountId);
        a.put("href", accountHref(wf));
        ObjectNode we = n.putObject("workflowExecution");
        we.put("id", wf.id);
        we.put("href", workflowHref(wf));
        we.put("definitionKey", wf.definitionKey);
        we.put("status", st);
        return json(200, n);
    }

    private Response details(Req r) {
        requireRetrieveAndDelete(r);
        if (!retrievalLimiter.tryAcquire()) {
            throw tooManyRequests();
        }
        Workflow wf = findWorkflow(r.param(0), r.param(1));
        long now = System.currentTimeMillis();
        String st = wf.status(now);
        if (!st.equals("PROCESSED") && !EXPIRED_STATUSES.contains(st)) {
            throw new ApiException(404,
                    "Workflow execution " + wf.id + " is " + st + "; details are not available yet");
        }
        return json(200, detailsJson(wf, st));
    }

    private ObjectNode detailsJson(Workflow wf, String st) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode w = n.putObject("workflow");
        w.put("id", wf.id);
        w.put("status", st);
        w.put("definitionKey", wf.definitionKey);
        if (wf.userReference != null) {
            w.put("userReference", wf.userReference);
        }
        w.put("customerInternalReference", wf.customerInternalReference);
        n.putObject("account").put("id", wf.accountId);
        n.put("createdAt", ts(wf.createdAt));
        boolean processed = st.equals("PROCESSED");
        long started = wf.finalizedAt != 0 ? wf.finalizedAt : wf.createdAt;
        n.put("startedAt", ts(started));
        long completed = wf.completedAt();
        n.put("completedAt", ts(completed == 0 ? System.currentTimeMillis() : completed));
        String wfBase = retrievalUrl() + "/api/v1/accounts/" + wf.accountId + "/workflow-executions/" + wf.id;
        ObjectNode cred = n.putArray("credentials").addObject();
        cred.put("id", wf.credentialId);
        cred.put("category", "DATA");
        if (wf.preparedData() != null) {
            ObjectNode part = cred.putArray("parts").addObject();
            part.put("classifier", "PREPARED_DATA");
            part.put("href", wfBase + "/credentials/" + wf.credentialId + "/parts/PREPARED_DATA");
        } else {
            cred.putArray("parts");
        }
        Outcome o = processed && wf.outcome != null ? wf.outcome : new Outcome("NOT_EXECUTED", st, -1);
        ObjectNode decision = n.putObject("decision");
        decision.put("type", o.decisionType());
        decision.putObject("details").put("label", o.label());
        decision.putObject("risk").put("score", o.score());
        n.putObject("steps").put("href", wfBase + "/steps");
        ObjectNode caps = n.putObject("capabilities");
        if (processed) {
            String cap = capabilityName(wf.definitionKey);
            ObjectNode c = caps.putArray(cap).addObject();
            c.put("id", wf.capabilityId);
            ObjectNode cc = c.putArray("credentials").addObject();
            cc.put("id", wf.credentialId);
            cc.put("category", "DATA");
            ObjectNode cd = c.putObject("decision");
            cd.put("type", o.decisionType());
            cd.putObject("details").put("label", o.capabilityLabel());
            c.set("data", capabilityData(cap, wf.preparedData(), o));
        }
        return n;
    }

    static String capabilityName(String key) {
        return switch (key) {
            case "10066" -> "emailVerification";
            case "10065" -> "phoneVerification";
            case "10118" -> "geoIpVerification";
            case "10148" -> "ekyc";
            case "10010" -> "watchlistScreening";
            default -> "riskSignal";
        };
    }

    private static ObjectNode capabilityData(String cap, JsonNode pd, Outcome o) {
        if (pd == null) {
            pd = JSON.createObjectNode();
        }
        ObjectNode d = JSON.createObjectNode();
        boolean rejected = o.decisionType().equals("REJECTED");
        String risk = switch (o.decisionType()) {
            case "REJECTED" -> "HIGH";
            case "WARNING" -> "MEDIUM";
            case "NOT_EXECUTED" -> "UNKNOWN";
            default -> "LOW";
        };
        String advice = switch (o.decisionType()) {
            case "REJECTED" -> "REJECT";
            case "WARNING" -> "DATA_REVIEW";
            case "NOT_EXECUTED" -> "NOT_AVAILABLE";
            default -> "ACCEPT";
        };
        switch (cap) {
            case "emailVerification" -> {
                copy(pd, d, "email");
                d.put("emailVerificationStatus", rejected ? "EmailInexistent" : "EmailExists");
                d.put("emailExists", !rejected);
                d.put("domainExists", true);
                d.put("domainRiskLevel", risk);
                d.put("advice", advice);
            }
            case "phoneVerification" -> {
                copy(pd, d, "phoneNumber");
                d.put("phoneNumberValid", !rejected);
                d.put("lineType", "MOBILE");
                d.put("carrier", "Simulated Carrier");
                d.put("riskLevel", risk);
                d.put("advice", advice);
            }
            case "geoIpVerification" -> {
                copy(pd, d, "ipAddress");
                d.put("country", "USA");
                d.put("city", "San Francisco");
                d.put("isProxy", rejected);
                d.put("isVpn", false);
                d.put("riskLevel", risk);
            }
            case "ekyc" -> {
                copy(pd, d, "firstName");
                copy(pd, d, "lastName");
                copy(pd, d, "dateOfBirth");
                copy(pd, d, "address");
                copy(pd, d, "id");
                ObjectNode match = d.putObject("matchResult");
                String m = rejected ? "NO_MATCH" : "MATCH";
                match.put("name", m);
                match.put("dateOfBirth", m);
                match.put("address", m);
                d.put("searchStatus", "DONE");
            }
            case "watchlistScreening" -> {
                copy(pd, d, "firstName");
                copy(pd, d, "lastName");
                copy(pd, d, "dateOfBirth");
                copy(pd, d, "nationality");
                d.put("searchId", uuid());
                d.put("searchStatus", "DONE");
                d.put("searchResults", rejected ? 1 : 0);
            }
            default -> {
                d.set("input", pd.deepCopy());
                d.put("riskLevel", risk);
                d.put("advice", advice);
            }
        }
        return d;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(field, v.deepCopy());
        }
    }

    private Response deleteWorkflow(Req r) {
        requireRetrieveAndDelete(r);
        if (!retrievalLimiter.tryAcquire()) {
            throw tooManyRequests();
        }
        Workflow wf = findWorkflow(r.param(0), r.param(1));
        forget(wf);
        Account acc = accounts.get(wf.accountId);
        if (acc != null) {
            acc.workflowIds.remove(wf.id);
        }
        return new Response(200, null, null, null);
    }

    private Response deleteAccount(Req r) {
        requireRetrieveAndDelete(r);
        if (!retrievalLimiter.tryAcquire()) {
            throw tooManyRequests();
        }
        Account acc = accounts.remove(r.param(0));
        if (acc == null) {
            throw new ApiException(404, "Account " + r.param(0) + " not found");
        }
        for (String id : acc.workflowIds) {
            Workflow wf = workflows.get(id);
            if (wf != null) {
                forget(wf);
            }
        }
        return new Response(200, null, null, null);
    }

    private void forget(Workflow wf) {
        workflows.remove(wf.id);
        workflowTokens.remove(wf.apiToken);
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    private void scheduleCallback(Workflow wf, String status, long delayMillis) {
        SimulatorConfig c = cfg;
        if (!c.callbacksEnabled() || wf.callbackUrl == null || c.callbackDeliveries() <= 0) {
            return;
        }
        long gen = generation.get();
        int deliveries = c.callbackDeliveries();
        int retries = c.callbackRetries();
        long retryDelay = c.callbackRetryDelayMillis();
        try {
            scheduler.schedule(() -> {
                for (int i = 0; i < deliveries; i++) {
                    deliver(wf, status, 1, retries, retryDelay, gen);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "callback not scheduled: {0}", e.toString());
        }
    }

    private void deliver(Workflow wf, String status, int attempt, int retriesLeft, long retryDelay, long gen) {
        if (generation.get() != gen) {
            return;
        }
        Long delay = delays.get(Endpoint.CALLBACK).take();
        if (delay != null && delay > 0) {
            scheduler.schedule(() -> send(wf, status, attempt, retriesLeft, retryDelay, gen), delay,
                    TimeUnit.MILLISECONDS);
        } else {
            send(wf, status, attempt, retriesLeft, retryDelay, gen);
        }
    }

    private void send(Workflow wf, String status, int attempt, int retriesLeft, long retryDelay, long gen) {
        if (generation.get() != gen) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("callbackSentAt", ts(System.currentTimeMillis()));
        if (wf.userReference != null) {
            n.put("userReference", wf.userReference);
        }
        ObjectNode we = n.putObject("workflowExecution");
        we.put("id", wf.id);
        we.put("href", workflowHref(wf));
        we.put("definitionKey", wf.definitionKey);
        we.put("status", status);
        ObjectNode a = n.putObject("account");
        a.put("id", wf.accountId);
        a.put("href", accountHref(wf));
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = wf.callbackUrl;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(APPLICATION_JSON));
        headers.put("User-Agent", List.of("Jumio Callback"));
        counts.get(Endpoint.CALLBACK).incrementAndGet();
        record(Endpoint.CALLBACK, "POST", url, headers, body);
        Failure f = failures.get(Endpoint.CALLBACK).take();
        if (f != null) {
            callbackResults.add(new CallbackResult(url, null, "suppressed by failNext(CALLBACK, " + f.status + ")",
                    wf.id, status, attempt, Instant.now()));
            return;
        }
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", APPLICATION_JSON)
                    .header("User-Agent", "Jumio Callback")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (RuntimeException e) {
            callbackResults.add(new CallbackResult(url, null, e.toString(), wf.id, status, attempt, Instant.now()));
            return;
        }
        try {
            callbackClient.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                if (generation.get() != gen) {
                    return;
                }
                CallbackResult res = err == null
                        ? new CallbackResult(url, resp.statusCode(), null, wf.id, status, attempt, Instant.now())
                        : new CallbackResult(url, null, String.valueOf(rootCause(err)), wf.id, status, attempt,
                                Instant.now());
                callbackResults.add(res);
                if (!res.delivered() && retriesLeft > 0) {
                    try {
                        scheduler.schedule(() -> deliver(wf, status, attempt + 1, retriesLeft - 1, retryDelay, gen),
                                retryDelay, TimeUnit.MILLISECONDS);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, "callback retry not scheduled: {0}", e.toString());
                    }
                }
            });
        } catch (RuntimeException e) {
            callbackResults.add(new CallbackResult(url, null, e.toString(), wf.id, status, attempt, Instant.now()));
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private String accountHref(Workflow wf) {
        return retrievalUrl() + "/api/v1/accounts/" + wf.accountId;
    }

    private String workflowHref(Workflow wf) {
        return cfg.shortWorkflowHrefs()
                ? retrievalUrl() + "/api/v1/workflow-executions/" + wf.id
                : retrievalUrl() + "/api/v1/accounts/" + wf.accountId + "/workflow-executions/" + wf.id;
    }

    private String workflowApiUrl(Workflow wf) {
        return apiUrl() + "/api/v1/accounts/" + wf.accountId + "/workflow-executions/" + wf.id;
    }

    private String preparedDataUrl(Workflow wf) {
        return workflowApiUrl(wf) + "/credentials/" + wf.credentialId + "/parts/PREPARED_DATA";
    }

    // ------------------------------------------------------------------------------------------------ admin API

    private Response admin(String method, String path, String query, byte[] body) {
        String op = path.substring("/__admin/".length());
        ObjectNode in = null;
        if (method.equals("POST")) {
            in = body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()
                    ? JSON.createObjectNode()
                    : parseJsonObject(body);
        } else if (!method.equals("GET")) {
            throw new ApiException(405, "Admin endpoints accept GET or POST");
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("ok", true);
        try {
            switch (method + " " + op) {
                case "POST reset" -> {
                    reset();
                    return json(200, ok);
                }
                case "POST fail" -> {
                    failNext(endpoint(in), in.path("status").asInt(503), in.path("times").asInt(1),
                            in.hasNonNull("retryAfterSeconds") ? in.get("retryAfterSeconds").asInt() : null);
                    return json(200, ok);
                }
                case "POST delay" -> {
                    delayNext(endpoint(in), in.path("millis").asLong(0), in.path("times").asInt(1));
                    return json(200, ok);
                }
                case "POST unauthorized" -> {
                    unauthorizedNext(endpoint(in), in.path("times").asInt(1));
                    return json(200, ok);
                }
                case "POST config" -> {
                    applyConfig(in);
                    return json(200, ok);
                }
                case "POST outcome" -> {
                    nextOutcome(in.path("decisionType").asText(), in.path("label").asText(), in.path("score").asInt(),
                            in.path("times").asInt(1));
                    return json(200, ok);
                }
                case "POST expire" -> {
                    String id = in.hasNonNull("workflowExecutionId")
                            ? in.get("workflowExecutionId").asText()
                            : in.path("workflowId").asText();
                    expire(id, in.path("status").asText("TOKEN_EXPIRED"));
                    return json(200, ok);
                }
                case "POST revoke-tokens" -> {
                    revokeAllTokens();
                    return json(200, ok);
                }
                case "POST seed" -> {
                    JsonNode keyNode = in.get("workflowKey");
                    if (keyNode == null || keyNode.isNull()) {
                        throw bad("workflowKey is required");
                    }
                    Map<String, Object> pd = in.hasNonNull("preparedData")
                            ? JSON.convertValue(in.get("preparedData"), JSON.getTypeFactory()
                                    .constructMapType(LinkedHashMap.class, String.class, Object.class))
                            : null;
                    SeededWorkflow s = seedFinalizedWorkflow(keyNode.asText(),
                            in.hasNonNull("callbackUrl") ? in.get("callbackUrl").asText() : null,
                            in.hasNonNull("userReference") ? in.get("userReference").asText() : null, pd);
                    ObjectNode n = JSON.createObjectNode();
                    n.put("accountId", s.accountId());
                    n.put("workflowExecutionId", s.workflowExecutionId());
                    return json(200, n);
                }
                case "GET counts" -> {
                    ObjectNode n = JSON.createObjectNode();
                    counts().forEach((k, v) -> n.put(k.name(), v));
                    return json(200, n);
                }
                case "GET requests" -> {
                    String ep = queryParam(query, "endpoint");
                    if (ep == null) {
                        throw bad("query parameter endpoint is required");
                    }
                    ArrayNode arr = JSON.createArrayNode();
                    for (RecordedRequest rr : requests(Endpoint.valueOf(ep.toUpperCase(Locale.ROOT)))) {
                        ObjectNode o = arr.addObject();
                        o.put("endpoint", rr.endpoint().name());
                        o.put("method", rr.method());
                        o.put("path", rr.path());
                        o.set("headers", JSON.valueToTree(rr.headers()));
                        o.put("body", rr.body());
                        o.put("receivedAt", rr.receivedAt().toString());
                    }
                    return json(200, arr);
                }
                case "GET callbacks" -> {
                    ArrayNode arr = JSON.createArrayNode();
                    for (CallbackResult cr : callbackResults()) {
                        ObjectNode o = arr.addObject();
                        o.put("url", cr.url());
                        if (cr.httpStatus() == null) {
                            o.putNull("httpStatus");
                        } else {
                            o.put("httpStatus", cr.httpStatus());
                        }
                        o.put("error", cr.error());
                        o.put("workflowExecutionId", cr.workflowExecutionId());
                        o.put("status", cr.status());
                        o.put("attempt", cr.attempt());
                        o.put("sentAt", cr.sentAt().toString());
                        o.put("delivered", cr.delivered());
                    }
                    return json(200, arr);
                }
                case "GET config" -> {
                    return json(200, configJson());
                }
                default -> throw new ApiException(404, "Unknown admin endpoint " + method + " " + path);
            }
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static Endpoint endpoint(JsonNode in) {
        String e = in.path("endpoint").asText(null);
        if (e == null) {
            throw bad("endpoint is required");
        }
        try {
            return Endpoint.valueOf(e.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
            throw bad("unknown endpoint " + e + "; one of " + java.util.Arrays.toString(Endpoint.values()));
        }
    }

    private void applyConfig(ObjectNode in) {
        SimulatorConfig c = cfg;
        boolean rates = false;
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "tokenLifetimeSeconds" -> c.tokenLifetimeSeconds(v.asInt());
                case "callbacksEnabled" -> c.callbacksEnabled(v.asBoolean());
                case "callbackDelayMillis" -> c.callbackDelayMillis(v.asLong());
                case "callbackStatus" -> c.callbackStatus(v.asText());
                case "callbackDeliveries" -> c.callbackDeliveries(v.asInt());
                case "callbackRetries" -> c.callbackRetries(v.asInt());
                case "callbackRetryDelayMillis" -> c.callbackRetryDelayMillis(v.asLong());
                case "processingDelayMillis" -> c.processingDelayMillis(v.asLong());
                case "rejectLibraryUserAgents" -> c.rejectLibraryUserAgents(v.asBoolean());
                case "retrieveAndDeletePermission" -> c.retrieveAndDeletePermission(v.asBoolean());
                case "shortWorkflowHrefs" -> c.shortWorkflowHrefs(v.asBoolean());
                case "tokenRatePerSecond" -> {
                    c.tokenRatePerSecond(v.asDouble());
                    rates = true;
                }
                case "accountRatePerSecond" -> {
                    c.accountRatePerSecond(v.asDouble());
                    rates = true;
                }
                case "accountBurst" -> {
                    c.accountBurst(v.asInt());
                    rates = true;
                }
                case "retrievalRatePerSecond" -> {
                    c.retrievalRatePerSecond(v.asDouble());
                    rates = true;
                }
                case "defaultOutcome" -> c.defaultOutcome(new Outcome(v.path("decisionType").asText(),
                        v.path("label").asText(), v.path("score").asInt()));
                default -> throw bad("unknown config key " + e.getKey());
            }
        }
        if (rates) {
            rebuildLimiters();
        }
    }

    private ObjectNode configJson() {
        SimulatorConfig c = cfg;
        ObjectNode n = JSON.createObjectNode();
        n.put("tokenLifetimeSeconds", c.tokenLifetimeSeconds());
        n.put("callbacksEnabled", c.callbacksEnabled());
        n.put("callbackDelayMillis", c.callbackDelayMillis());
        n.put("callbackStatus", c.callbackStatus());
        n.put("callbackDeliveries", c.callbackDeliveries());
        n.put("callbackRetries", c.callbackRetries());
        n.put("callbackRetryDelayMillis", c.callbackRetryDelayMillis());
        n.put("processingDelayMillis", c.processingDelayMillis());
        n.put("rejectLibraryUserAgents", c.rejectLibraryUserAgents());
        n.put("retrieveAndDeletePermission", c.retrieveAndDeletePermission());
        n.put("shortWorkflowHrefs", c.shortWorkflowHrefs());
        n.put("tokenRatePerSecond", c.tokenRatePerSecond());
        n.put("accountRatePerSecond", c.accountRatePerSecond());
        n.put("accountBurst", c.accountBurst());
        n.put("retrievalRatePerSecond", c.retrievalRatePerSecond());
        n.set("defaultOutcome", JSON.valueToTree(c.defaultOutcome()));
        return n;
    }

    private static String queryParam(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        return parseForm(rawQuery).get(name);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void rebuildLimiters() {
        SimulatorConfig c = cfg;
        tokenLimiters.clear();
        accountLimiter = new RateLimiter(c.accountRatePerSecond(), Math.max(1, c.accountBurst()));
        retrievalLimiter = new RateLimiter(c.retrievalRatePerSecond(), Math.max(1, c.retrievalRatePerSecond()));
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private static String ts(long epochMillis) {
        return TS.format(Instant.ofEpochMilli(epochMillis));
    }

    private static ObjectNode defaultPreparedData() {
        ObjectNode pd = JSON.createObjectNode();
        pd.put("firstName", "Jane");
        pd.put("lastName", "Doe");
        pd.put("dateOfBirth", "1990-01-01");
        pd.put("email", "jane.doe@example.com");
        pd.put("phoneNumber", "+14155550123");
        pd.put("ipAddress", "203.0.113.10");
        pd.put("nationality", "USA");
        ObjectNode addr = pd.putObject("address");
        addr.put("line1", "1 Main Street");
        addr.put("postalCode", "94105");
        addr.put("city", "San Francisco");
        addr.put("subdivision", "CA");
        addr.put("country", "USA");
        return pd;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Injections<T> {
        private static final class Entry<T> {
            final T value;
            int remaining;

            Entry(T value, int remaining) {
                this.value = value;
                this.remaining = remaining;
            }
        }

        private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();

        synchronized void add(T value, int times) {
            if (times > 0) {
                queue.add(new Entry<>(value, times));
            }
        }

        synchronized T take() {
            Entry<T> e = queue.peek();
            if (e == null) {
                return null;
            }
            if (--e.remaining <= 0) {
                queue.poll();
            }
            return e.value;
        }

        synchronized void clear() {
            queue.clear();
        }
    }

    /** Token bucket; a rate of 0 or less never limits. */
    private static final class RateLimiter {
        private final double rate;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        RateLimiter(double rate, double capacity) {
            this.rate = rate;
            this.capacity = capacity;
            this.tokens = capacity;
        }

        synchronized boolean tryAcquire() {
            if (rate <= 0) {
                return true;
            }
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private record WorkflowToken(String workflowId, long expiresAt) {
    }

    private static final class Account {
        final String id;
        final Set<String> workflowIds = ConcurrentHashMap.newKeySet();

        Account(String id) {
            this.id = id;
        }
    }

    private static final class Workflow {
        final String id;
        final String accountId;
        final String credentialId;
        final String capabilityId = UUID.randomUUID().toString();
        final String definitionKey;
        final String customerInternalReference;
        final String userReference;
        final String callbackUrl;
        final String apiToken;
        final long createdAt;

        private ObjectNode preparedData;
        private String status = "INITIATED";
        volatile long finalizedAt;
        private long processedAt;
        private long expiredAt;
        private String terminalStatus;
        volatile Outcome outcome;

        Workflow(String id, String accountId, String credentialId, String definitionKey, String cir,
                String userReference, String callbackUrl, String apiToken, long createdAt) {
            this.id = id;
            this.accountId = accountId;
            this.credentialId = credentialId;
            this.definitionKey = definitionKey;
            this.customerInternalReference = cir;
            this.userReference = userReference;
            this.callbackUrl = callbackUrl;
            this.apiToken = apiToken;
            this.createdAt = createdAt;
        }

        synchronized String status(long now) {
            if (status.equals("ACQUIRED") && now >= processedAt) {
                status = terminalStatus;
            }
            return status;
        }

        synchronized void upload(ObjectNode pd, long now) {
            if (preparedData == null) {
                preparedData = pd.deepCopy();
            } else {
                preparedData.setAll(pd.deepCopy());
            }
        }

        synchronized ObjectNode preparedData() {
            return preparedData;
        }

        synchronized void markFinalized(long now, long processingDelay, String terminal, Outcome o) {
            finalizedAt = now;
            processedAt = now + processingDelay;
            terminalStatus = terminal;
            outcome = o;
            status = "ACQUIRED";
        }

        synchronized void expire(String s, long now) {
            status = s;
            expiredAt = now;
        }

        synchronized long completedAt() {
            if (expiredAt != 0) {
                return expiredAt;
            }
            return processedAt;
        }
    }

    // ------------------------------------------------------------------------------------------------ main

    /** Runs the simulator until killed: {@code --port N} (default 0); env JUMIO_CLIENT_ID / JUMIO_CLIENT_SECRET. */
    public static void main(String[] args) throws Exception {
        SimulatorConfig c = SimulatorConfig.defaults();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                c.port(Integer.parseInt(args[++i]));
            } else if (args[i].startsWith("--port=")) {
                c.port(Integer.parseInt(args[i].substring("--port=".length())));
            }
        }
        String id = System.getenv("JUMIO_CLIENT_ID");
        String secret = System.getenv("JUMIO_CLIENT_SECRET");
        if (id != null && !id.isBlank()) {
            c.clientId(id);
        }
        if (secret != null && !secret.isBlank()) {
            c.clientSecret(secret);
        }
        JumioSimulator sim = new JumioSimulator(c).start();
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "jumio-sim-shutdown"));
        System.out.println("jumio-simulator listening on " + sim.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
