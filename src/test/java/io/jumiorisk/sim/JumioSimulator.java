package io.jumiorisk.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Thread-safe. Misbehaviour can be injected from Java or through the admin HTTP API under {@code /__admin/}. Each host
 * is a class of its own ({@link AuthHost}, {@link AccountHost}, {@link ApiHost}, {@link RetrievalHost},
 * {@link Callbacks}); this class starts the server and is the test API.
 */
public final class JumioSimulator implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY every response waits ~40 ms for
        // the client's delayed ACK. Read once by com.sun.net.httpserver when its first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** How often workflows whose token lifetime has ended are looked for. */
    private static final long EXPIRY_SWEEP_MILLIS = 1000;
    private static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";

    private final Tenant tenant;
    private final Traffic traffic = new Traffic();
    private final Links links;
    private final AuthHost auth;
    private final AccountHost accounts;
    private final Callbacks callbacks;
    private final Router router;

    private HttpServer server;
    /** The second origin on loopback where only {@link LinkShape#OTHER_PORT} links lead. */
    private HttpServer decoy;
    private ThreadPoolExecutor httpExecutor;

    public JumioSimulator() {
        this(SimulatorConfig.defaults());
    }

    public JumioSimulator(SimulatorConfig config) {
        tenant = new Tenant(config);
        links = new Links(tenant);
        auth = new AuthHost(tenant, links);
        accounts = new AccountHost(tenant, auth, links);
        callbacks = new Callbacks(tenant, traffic, links);
        router = new Router(tenant, traffic, new Admin(this));
        auth.routes(router);
        accounts.routes(router);
        new ApiHost(tenant, auth, links, callbacks).routes(router);
        new RetrievalHost(tenant, auth, links).routes(router);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Starts the HTTP server; returns this. */
    public synchronized JumioSimulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        SimulatorConfig cfg = tenant.cfg();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), cfg.port()), 256);
            decoy = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind jumio simulator on port " + cfg.port(), e);
        }
        // Grows beyond the core size on demand, so that injected delays never stall other requests.
        httpExecutor = new ThreadPoolExecutor(cfg.threads(), Math.max(256, cfg.threads()), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("jumio-sim-http"));
        callbacks.start();
        server.setExecutor(httpExecutor);
        server.createContext("/", router::handle);
        server.start();
        decoy.setExecutor(httpExecutor);
        decoy.createContext("/", router::stray);
        decoy.start();
        links.serveAt("http://127.0.0.1:" + server.getAddress().getPort(),
                "http://127.0.0.1:" + decoy.getAddress().getPort());
        callbacks.every(EXPIRY_SWEEP_MILLIS, () -> expireUnfinalized(TOKEN_EXPIRED, System.currentTimeMillis()));
        Http.LOG.log(System.Logger.Level.DEBUG, "jumio simulator started on {0}", links.base());
        return this;
    }

    /** Stops the server and all its executors. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            decoy.stop(0);
            httpExecutor.shutdownNow();
            callbacks.close();
            server = null;
        }
    }

    public String baseUrl() {
        return links.base();
    }

    public int port() {
        return Integer.parseInt(baseUrl().substring(baseUrl().lastIndexOf(':') + 1));
    }

    public String authUrl() {
        return links.auth();
    }

    public String accountUrl() {
        return links.account();
    }

    public String apiUrl() {
        return links.api();
    }

    public String retrievalUrl() {
        return links.retrieval();
    }

    /** Health URL ({@code GET} → {@code {"status":"UP","details":{}}}). */
    public String statusUrl() {
        return links.status();
    }

    /**
     * The decoy origin, another port on loopback where {@link LinkShape#OTHER_PORT} links lead; it answers every
     * request 404 and records it as {@link Endpoint#STRAY}.
     */
    public String decoyUrl() {
        return links.decoy();
    }

    public String clientId() {
        return tenant.cfg().clientId();
    }

    public String clientSecret() {
        return tenant.cfg().clientSecret();
    }

    /** The OAuth2 client with "retrieve &amp; delete" only, for the erase function. */
    public String eraserClientId() {
        return tenant.cfg().eraserClientId();
    }

    public String eraserClientSecret() {
        return tenant.cfg().eraserClientSecret();
    }

    /**
     * The live configuration (changes take effect for later requests; rate changes need {@link #rateLimitsChanged()}).
     */
    public SimulatorConfig config() {
        return tenant.cfg();
    }

    // ------------------------------------------------------------------------------------------------ misbehaviour

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
        traffic.failNext(Objects.requireNonNull(e), new Traffic.Failure(httpStatus, retryAfterSeconds), times);
        return this;
    }

    /**
     * The next {@code times} requests to {@code e} are answered only after {@code millis} (other requests are not
     * stalled).
     */
    public JumioSimulator delayNext(Endpoint e, long millis, int times) {
        traffic.delayNext(Objects.requireNonNull(e), Math.max(0, millis), times);
        return this;
    }

    /**
     * The next {@code times} requests to {@code e} that the simulator processes (answers 2xx) get {@code what} instead
     * of their answer: the work is done (for the account endpoints: the workflow exists, unfinalized, with its token
     * and callback URL), the client cannot tell. Requests answered with an error do not use an injection up.
     * {@link AfterProcessing#NO_DATA_CREDENTIAL} is for the account endpoints only.
     */
    public JumioSimulator afterProcessingNext(Endpoint e, AfterProcessing what, int times) {
        Objects.requireNonNull(what);
        if (e == Endpoint.CALLBACK || e == Endpoint.STRAY) {
            throw new IllegalArgumentException("not an endpoint that the simulator answers: " + e);
        }
        if (what == AfterProcessing.NO_DATA_CREDENTIAL && e != Endpoint.ACCOUNT_CREATE
                && e != Endpoint.ACCOUNT_UPDATE) {
            throw new IllegalArgumentException("NO_DATA_CREDENTIAL is for ACCOUNT_CREATE and ACCOUNT_UPDATE: " + e);
        }
        traffic.afterProcessingNext(e, what, times);
        return this;
    }

    /** The next {@code times} requests to {@code e} answer 401 even with a valid token (as if it had been revoked). */
    public JumioSimulator unauthorizedNext(Endpoint e, int times) {
        traffic.unauthorizedNext(Objects.requireNonNull(e), times);
        return this;
    }

    /** All OAuth tokens issued so far become invalid (401). Workflow api.tokens are unaffected. */
    public JumioSimulator revokeAllTokens() {
        auth.revokeAll();
        return this;
    }

    /**
     * From now on, {@code fraction} (0 to 1) of the account requests that the simulator processes get an ambiguous
     * answer drawn from {@link SimulatorConfig#DEFAULT_AMBIGUOUS_MIX} instead of theirs (the workflow exists, the
     * client cannot tell), the draws starting from {@code seed}; 0 switches it off. See
     * {@link SimulatorConfig#ambiguousAccountFraction(double)}; what was given: {@link #ambiguousAnswers()}.
     */
    public JumioSimulator ambiguousAccountAnswers(double fraction, long seed) {
        return ambiguousAccountAnswers(fraction, SimulatorConfig.DEFAULT_AMBIGUOUS_MIX, seed);
    }

    /**
     * As {@link #ambiguousAccountAnswers(double, long)}, with this mix of answers (relative weights; for example
     * {@code Map.of(AfterProcessing.BAD_GATEWAY, 3, AfterProcessing.NO_ANSWER, 1)}).
     */
    public JumioSimulator ambiguousAccountAnswers(double fraction, Map<AfterProcessing, ? extends Number> mix,
            long seed) {
        // Both checked before anything changes.
        SimulatorConfig checked = SimulatorConfig.defaults().ambiguousAccountFraction(fraction)
                .ambiguousAccountMix(mix);
        tenant.cfg().ambiguousAccountMix(checked.ambiguousAccountMix()).ambiguousAccountSeed(seed)
                .ambiguousAccountFraction(fraction);
        return restartAmbiguousDraws();
    }

    /**
     * Starts the draws of the ambiguous answers again from {@link SimulatorConfig#ambiguousAccountSeed()}, for
     * settings changed through {@link #config()}.
     */
    public JumioSimulator restartAmbiguousDraws() {
        tenant.restartAmbiguousDraws();
        return this;
    }

    /** Drops pending failure, delay and 401 injections, keeping Jumio's state (accounts, workflows, tokens). */
    public JumioSimulator clearFaults() {
        traffic.clearFaults();
        return this;
    }

    // ------------------------------------------------------------------------------------------------ settings

    private JumioSimulator configure(Consumer<SimulatorConfig> change) {
        change.accept(tenant.cfg());
        return this;
    }

    /** {@code expires_in} of OAuth tokens issued from now on. */
    public JumioSimulator tokenLifetimeSeconds(int seconds) {
        return configure(c -> c.tokenLifetimeSeconds(seconds));
    }

    /** See {@link SimulatorConfig#reuseAccessTokens(boolean)}. */
    public JumioSimulator reuseAccessTokens(boolean reuse) {
        return configure(c -> c.reuseAccessTokens(reuse));
    }

    /** See {@link SimulatorConfig#accessTokenFormat(TokenFormat)}. */
    public JumioSimulator accessTokenFormat(TokenFormat format) {
        return configure(c -> c.accessTokenFormat(format));
    }

    /** See {@link SimulatorConfig#accessTokenExpSeconds(int)}. */
    public JumioSimulator accessTokenExpSeconds(int seconds) {
        return configure(c -> c.accessTokenExpSeconds(seconds));
    }

    /** See {@link SimulatorConfig#workflowTokenFormat(TokenFormat)}. */
    public JumioSimulator workflowTokenFormat(TokenFormat format) {
        return configure(c -> c.workflowTokenFormat(format));
    }

    /** See {@link SimulatorConfig#checkUserAgents(boolean)}. */
    public JumioSimulator checkUserAgents(boolean check) {
        return configure(c -> c.checkUserAgents(check));
    }

    /** See {@link SimulatorConfig#noAnswerMillis(long)}. */
    public JumioSimulator noAnswerMillis(long millis) {
        return configure(c -> c.noAnswerMillis(millis));
    }

    /** See {@link SimulatorConfig#repeatFinalizeStatus(int)}. */
    public JumioSimulator repeatFinalizeStatus(int httpStatus) {
        return configure(c -> c.repeatFinalizeStatus(httpStatus));
    }

    /** See {@link SimulatorConfig#uploadAfterFinalizeStatus(int)}. */
    public JumioSimulator uploadAfterFinalizeStatus(int httpStatus) {
        return configure(c -> c.uploadAfterFinalizeStatus(httpStatus));
    }

    /** See {@link SimulatorConfig#uploadLink(LinkShape)}. */
    public JumioSimulator uploadLink(LinkShape shape) {
        return configure(c -> c.uploadLink(shape));
    }

    /** See {@link SimulatorConfig#finalizeLink(LinkShape)}. */
    public JumioSimulator finalizeLink(LinkShape shape) {
        return configure(c -> c.finalizeLink(shape));
    }

    public JumioSimulator callbacks(boolean enabled) {
        return configure(c -> c.callbacksEnabled(enabled));
    }

    public JumioSimulator callbackDelayMillis(long millis) {
        return configure(c -> c.callbackDelayMillis(millis));
    }

    /** Terminal status of workflows finalized from now on: PROCESSED, SESSION_EXPIRED or TOKEN_EXPIRED. */
    public JumioSimulator callbackStatus(String status) {
        return configure(c -> c.callbackStatus(status));
    }

    public JumioSimulator callbackDeliveries(int deliveries) {
        return configure(c -> c.callbackDeliveries(deliveries));
    }

    public JumioSimulator callbackRetries(int retries) {
        return configure(c -> c.callbackRetries(retries));
    }

    /**
     * Whether the OAuth2 client holds Jumio's "retrieve &amp; delete" permission; without it retrieval and DELETE get
     * 403.
     */
    public JumioSimulator retrieveAndDeletePermission(boolean granted) {
        return configure(c -> c.retrieveAndDeletePermission(granted));
    }

    /** Whether the eraser client holds "retrieve &amp; delete" (see {@link SimulatorConfig#eraserPermission}). */
    public JumioSimulator eraserPermission(boolean granted) {
        return configure(c -> c.eraserPermission(granted));
    }

    public JumioSimulator processingDelayMillis(long millis) {
        return configure(c -> c.processingDelayMillis(millis));
    }

    public JumioSimulator defaultOutcome(String decisionType, String label, int score) {
        return configure(c -> c.defaultOutcome(new Outcome(decisionType, label, score)));
    }

    /** The next workflow finalized (or seeded) gets this outcome, whatever its data. */
    public JumioSimulator nextOutcome(String decisionType, String label, int score) {
        return nextOutcome(decisionType, label, score, 1);
    }

    /** The next {@code times} workflows finalized (or seeded) get this outcome. */
    public JumioSimulator nextOutcome(String decisionType, String label, int score, int times) {
        tenant.queueOutcome(new Outcome(decisionType, label, score), times);
        return this;
    }

    /** Token endpoint limit per client (0 disables). */
    public JumioSimulator tokenRateLimit(double perSecond) {
        return configure(c -> c.tokenRatePerSecond(perSecond)).rateLimitsChanged();
    }

    /**
     * Account endpoints limit, shared by POST and PUT: {@code perSecond} on average, {@code burst} at once (0
     * disables; default 1/s, burst 5). Above it: 429, {@code Retry-After} the whole seconds until the next request
     * would pass, nothing created.
     */
    public JumioSimulator accountRateLimit(double perSecond, int burst) {
        return configure(c -> c.accountRatePerSecond(perSecond).accountBurst(burst)).rateLimitsChanged();
    }

    /** Retrieval host limit (0 disables). */
    public JumioSimulator retrievalRateLimit(double perSecond) {
        return configure(c -> c.retrievalRatePerSecond(perSecond)).rateLimitsChanged();
    }

    /** Disables all rate limits (until reset). */
    public JumioSimulator noRateLimits() {
        return configure(SimulatorConfig::noRateLimits).rateLimitsChanged();
    }

    /** Applies rate settings changed through {@link #config()} and refills all buckets. */
    public JumioSimulator rateLimitsChanged() {
        tenant.resetLimits();
        return this;
    }

    // ------------------------------------------------------------------------------------------------ workflows

    /**
     * Ends a workflow with {@code status} (TOKEN_EXPIRED or SESSION_EXPIRED) and, when it has a callbackUrl and
     * callbacks are enabled, sends the callback after the callback delay.
     */
    public JumioSimulator expire(String workflowId, String status) {
        String s = Objects.requireNonNull(status).toUpperCase(Locale.ROOT);
        if (!Workflow.EXPIRED_STATUSES.contains(s)) {
            throw new IllegalArgumentException("status must be one of " + Workflow.EXPIRED_STATUSES + ": " + status);
        }
        Workflow wf = known(workflowId);
        wf.expire(s, System.currentTimeMillis());
        callbacks.schedule(wf, s, tenant.cfg().callbackDelayMillis());
        return this;
    }

    /**
     * Expires now, as TOKEN_EXPIRED, every workflow that is not finalized (INITIATED), as if each one's token lifetime
     * had ended, and sends each one's callback (when it has a callbackUrl and callbacks are on) after the callback
     * delay. Without it, the simulator does so once a second for those whose lifetime has really ended. Returns the
     * ids of the workflows it expired.
     */
    public List<String> expireUnfinalizedNow() {
        return expireUnfinalizedNow(TOKEN_EXPIRED);
    }

    /** As {@link #expireUnfinalizedNow()}, with TOKEN_EXPIRED or SESSION_EXPIRED. */
    public List<String> expireUnfinalizedNow(String status) {
        String s = Objects.requireNonNull(status).toUpperCase(Locale.ROOT);
        if (!Workflow.EXPIRED_STATUSES.contains(s)) {
            throw new IllegalArgumentException("status must be one of " + Workflow.EXPIRED_STATUSES + ": " + status);
        }
        return expireUnfinalized(s, Long.MAX_VALUE);
    }

    private List<String> expireUnfinalized(String status, long tokenExpiredBy) {
        long delay = tenant.cfg().callbackDelayMillis();
        List<String> ids = new ArrayList<>();
        for (Workflow wf : tenant.expireUnfinalized(status, System.currentTimeMillis(), tokenExpiredBy)) {
            callbacks.schedule(wf, status, delay);
            ids.add(wf.id);
        }
        return ids;
    }

    /**
     * Sends one callback for the workflow, with {@code status} (any text, e.g. {@code REVIEW_PENDING}, or an expiry
     * for a workflow that is PROCESSED: a stale or replayed one), to its callbackUrl now, and returns how it went. The
     * workflow itself does not change. Counted and recorded like every callback (also when callbacks are off).
     */
    public CallbackResult sendCallback(String workflowId, String status) {
        return sendCallback(workflowId, status, Http.APPLICATION_JSON);
    }

    /** As {@link #sendCallback(String, String)}, with this Content-Type ({@code null}: no Content-Type header). */
    public CallbackResult sendCallback(String workflowId, String status, String contentType) {
        if (status == null || status.isBlank()) {
            throw new IllegalArgumentException("status is required");
        }
        return callbacks.sendNow(known(workflowId), status, contentType);
    }

    private Workflow known(String workflowId) {
        Workflow wf = workflowId == null ? null : tenant.workflow(workflowId);
        if (wf == null) {
            throw new IllegalArgumentException("unknown workflow " + workflowId);
        }
        return wf;
    }

    /** Current status of a workflow (INITIATED, ACQUIRED, PROCESSED, ...) or null if unknown. */
    public String workflowStatus(String workflowId) {
        Workflow wf = tenant.workflow(workflowId);
        return wf == null ? null : wf.status(System.currentTimeMillis());
    }

    /** Copy of the prepared data uploaded for a workflow, or null. */
    public JsonNode uploadedData(String workflowId) {
        Workflow wf = tenant.workflow(workflowId);
        JsonNode pd = wf == null ? null : wf.preparedData();
        return pd == null ? null : pd.deepCopy();
    }

    /** Ids of all workflows currently known. */
    public Set<String> workflowIds() {
        return tenant.workflowIds();
    }

    /**
     * Every workflow the simulator holds that has not been deleted (by a DELETE of it or of its account), oldest
     * first, whatever its status.
     */
    public List<LiveWorkflow> liveWorkflows() {
        return tenant.live(System.currentTimeMillis());
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
        Account acc = tenant.newAccount();
        String cir = "seeded-" + UUID.randomUUID().toString().substring(0, 8);
        Workflow wf = accounts.start(acc, new AccountHost.AccountRequest(workflowKey, cir, userReference, callbackUrl,
                AccountHost.DEFAULT_TOKEN_LIFETIME_SECONDS), now);
        JsonNode pd = preparedData == null ? defaultPreparedData() : Http.JSON.valueToTree(preparedData);
        wf.upload((ObjectNode) pd);
        String terminal = tenant.cfg().callbackStatus();
        wf.markFinalized(now, 0, terminal, tenant.decideOutcome(pd));
        callbacks.schedule(wf, terminal, tenant.cfg().callbackDelayMillis());
        return new SeededWorkflow(acc.id, wf.id);
    }

    /**
     * Seeds an unfinalized workflow that carries {@code customerInternalReference}, as one started at Jumio outside the
     * product (or left by an account request whose answer was lost); it expires like any other.
     *
     * @return its workflow execution id
     */
    public String seedUnfinalizedWorkflow(String workflowKey, String callbackUrl, String customerInternalReference) {
        Workflow wf = accounts.start(tenant.newAccount(), new AccountHost.AccountRequest(workflowKey,
                customerInternalReference, null, callbackUrl, AccountHost.DEFAULT_TOKEN_LIFETIME_SECONDS),
                System.currentTimeMillis());
        return wf.id;
    }

    private static ObjectNode defaultPreparedData() {
        ObjectNode pd = Http.JSON.createObjectNode();
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

    // ------------------------------------------------------------------------------------------------ observation

    /** Requests received per endpoint, including failed ones (for CALLBACK: delivery attempts). */
    public int count(Endpoint e) {
        return traffic.count(e);
    }

    public Map<Endpoint, Integer> counts() {
        return traffic.counts();
    }

    /** Requests received for {@code e} (for CALLBACK: callbacks sent, with path = URL), oldest first. */
    public List<RecordedRequest> requests(Endpoint e) {
        return traffic.requests(e);
    }

    /**
     * DELETE requests (whatever their answer) whose target is {@code id}: a workflow's id counts the DELETEs of that
     * workflow, an account's id those of the account (not of its workflows).
     */
    public int deleteRequests(String id) {
        return deleteRequests().getOrDefault(id, 0);
    }

    /**
     * Tells {@code listener} of every bearer token issued from now on (OAuth access tokens, workflow tokens), through
     * resets too: for scans of what the product keeps.
     */
    public JumioSimulator onTokenIssued(java.util.function.Consumer<String> listener) {
        tenant.onTokenIssued(listener);
        return this;
    }

    /** The OAuth2 client whose access token each DELETE request carried, oldest first (null: none or unknown). */
    public List<String> deleteClients() {
        return traffic.requests(Endpoint.DELETE).stream().filter(rr -> rr.method().equals("DELETE"))
                .map(rr -> auth.clientOf(rr.header("Authorization"))).toList();
    }

    /** DELETE requests per target id (workflow or account), as {@link #deleteRequests(String)} counts them. */
    public Map<String, Integer> deleteRequests() {
        Map<String, Integer> n = new TreeMap<>();
        for (RecordedRequest rr : traffic.requests(Endpoint.DELETE)) {
            if (rr.method().equals("DELETE")) {
                String path = rr.path().replaceFirst("[?#].*$", "");
                n.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
            }
        }
        return n;
    }

    /**
     * Requests that only a wrong link ({@link LinkShape}) could have led to: every request to the decoy origin
     * ({@link Endpoint#STRAY}), and upload and finalize requests whose path names an account or workflow id that only
     * an {@code OTHER_ACCOUNT} or {@code OTHER_WORKFLOW} link carried. Links to {@code evil.example.com} cannot be
     * followed here; {@code USER_INFO} links lead to the simulator's own endpoints.
     */
    public List<RecordedRequest> strayRequests() {
        List<RecordedRequest> out = new ArrayList<>(traffic.requests(Endpoint.STRAY));
        for (Endpoint e : List.of(Endpoint.UPLOAD, Endpoint.FINALIZE)) {
            traffic.requests(e).stream().filter(rr -> links.namesStrayId(rr.path())).forEach(out::add);
        }
        return out;
    }

    /**
     * The ambiguous answers given to processed account requests (drawn or queued), oldest first, each with the
     * workflow it hides; {@link #resetCounts()} clears them.
     */
    public List<AmbiguousAnswer> ambiguousAnswers() {
        return traffic.ambiguousAnswers();
    }

    /** Every callback delivery attempt, in completion order. */
    public List<CallbackResult> callbackResults() {
        return callbacks.results();
    }

    /** Zeroes the request counters and recordings, keeping Jumio's state. */
    public JumioSimulator resetCounts() {
        traffic.resetCounts();
        return this;
    }

    /**
     * Clears state (but not issued OAuth tokens), counters, recordings, injections and pending callbacks; config back
     * to the constructor's.
     */
    public JumioSimulator reset() {
        callbacks.dropPending();
        // Issued OAuth tokens survive a reset, as they would at a real tenant: a warm container under test keeps
        // using its token, and counts start from a clean slate. revokeAllTokens() is the explicit way to drop them.
        tenant.reset(links.started() ? port() : null);
        traffic.resetCounts();
        traffic.clearFaults();
        callbacks.clearResults();
        return this;
    }

    // ------------------------------------------------------------------------------------------------ main

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

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
