package io.jumiorisk.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link JumioSimulator}. Fluent setters, getters of the same name without argument.
 * {@link JumioSimulator#reset()} restores the configuration the simulator was constructed with.
 * A rate of 0 (or less) disables the corresponding rate limit.
 */
public final class SimulatorConfig {

    public static final Set<String> CALLBACK_STATUSES = Set.of("PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED");

    /**
     * The default mix of {@link #ambiguousAccountMix(Map)}, as relative weights: 502 35, 504 25, a cut body 15, no
     * answer 25. Jumio publishes no figures; "no answer" costs a client its whole call timeout, so its share decides
     * most of what ambiguous answers cost in time, and a quarter keeps that cost visible without hiding the others.
     */
    public static final Map<AfterProcessing, Double> DEFAULT_AMBIGUOUS_MIX = mix(Map.of(
            AfterProcessing.BAD_GATEWAY, 35.0, AfterProcessing.GATEWAY_TIMEOUT, 25.0,
            AfterProcessing.CUT_BODY, 15.0, AfterProcessing.NO_ANSWER, 25.0));

    private volatile int port = 0;
    private volatile String clientId = "sim-client";
    private volatile String clientSecret = "sim-secret";
    /** A second OAuth2 client with "retrieve &amp; delete" only, as a deployment's erase function uses. */
    private volatile String eraserClientId = "sim-eraser";
    private volatile String eraserClientSecret = "sim-eraser-secret";
    private volatile int tokenLifetimeSeconds = 3600;
    private volatile double tokenRatePerSecond = 10;
    private volatile double accountRatePerSecond = 1;
    private volatile int accountBurst = 5;
    private volatile double retrievalRatePerSecond = 15;
    private volatile boolean callbacksEnabled = true;
    private volatile long callbackDelayMillis = 200;
    private volatile String callbackStatus = "PROCESSED";
    private volatile int callbackDeliveries = 1;
    private volatile int callbackRetries = 0;
    private volatile long callbackRetryDelayMillis = 200;
    private volatile long processingDelayMillis = 0;
    private volatile Outcome defaultOutcome = Outcome.PASSED;
    private volatile boolean checkUserAgents = true;
    private volatile boolean retrieveAndDeletePermission = true;
    private volatile boolean eraserPermission = true;
    private volatile boolean shortWorkflowHrefs = false;
    private volatile int threads = 16;
    private volatile long noAnswerMillis = 30_000;
    private volatile int repeatFinalizeStatus = 200;
    private volatile int uploadAfterFinalizeStatus = 400;
    private volatile boolean reuseAccessTokens = false;
    private volatile TokenFormat accessTokenFormat = TokenFormat.JWT;
    private volatile int accessTokenExpSeconds = 0;
    private volatile TokenFormat workflowTokenFormat = TokenFormat.JWT;
    private volatile LinkShape uploadLink = LinkShape.JUMIO;
    private volatile LinkShape finalizeLink = LinkShape.JUMIO;
    private volatile double ambiguousAccountFraction = 0;
    private volatile Map<AfterProcessing, Double> ambiguousAccountMix = DEFAULT_AMBIGUOUS_MIX;
    private volatile long ambiguousAccountSeed = 0;

    public static SimulatorConfig defaults() {
        return new SimulatorConfig();
    }

    public SimulatorConfig copy() {
        SimulatorConfig c = new SimulatorConfig();
        c.port = port;
        c.clientId = clientId;
        c.clientSecret = clientSecret;
        c.eraserClientId = eraserClientId;
        c.eraserClientSecret = eraserClientSecret;
        c.tokenLifetimeSeconds = tokenLifetimeSeconds;
        c.tokenRatePerSecond = tokenRatePerSecond;
        c.accountRatePerSecond = accountRatePerSecond;
        c.accountBurst = accountBurst;
        c.retrievalRatePerSecond = retrievalRatePerSecond;
        c.callbacksEnabled = callbacksEnabled;
        c.callbackDelayMillis = callbackDelayMillis;
        c.callbackStatus = callbackStatus;
        c.callbackDeliveries = callbackDeliveries;
        c.callbackRetries = callbackRetries;
        c.callbackRetryDelayMillis = callbackRetryDelayMillis;
        c.processingDelayMillis = processingDelayMillis;
        c.defaultOutcome = defaultOutcome;
        c.checkUserAgents = checkUserAgents;
        c.retrieveAndDeletePermission = retrieveAndDeletePermission;
        c.eraserPermission = eraserPermission;
        c.shortWorkflowHrefs = shortWorkflowHrefs;
        c.threads = threads;
        c.noAnswerMillis = noAnswerMillis;
        c.repeatFinalizeStatus = repeatFinalizeStatus;
        c.uploadAfterFinalizeStatus = uploadAfterFinalizeStatus;
        c.reuseAccessTokens = reuseAccessTokens;
        c.accessTokenFormat = accessTokenFormat;
        c.accessTokenExpSeconds = accessTokenExpSeconds;
        c.workflowTokenFormat = workflowTokenFormat;
        c.uploadLink = uploadLink;
        c.finalizeLink = finalizeLink;
        c.ambiguousAccountFraction = ambiguousAccountFraction;
        c.ambiguousAccountMix = ambiguousAccountMix;
        c.ambiguousAccountSeed = ambiguousAccountSeed;
        return c;
    }

    /** Listening port; 0 (default) picks a free one. */
    public SimulatorConfig port(int v) {
        if (v < 0 || v > 65535) {
            throw new IllegalArgumentException("port: " + v);
        }
        port = v;
        return this;
    }

    public int port() {
        return port;
    }

    /** OAuth2 client id accepted by the token endpoint (default {@code sim-client}). */
    public SimulatorConfig clientId(String v) {
        clientId = Objects.requireNonNull(v);
        return this;
    }

    public String clientId() {
        return clientId;
    }

    /** OAuth2 client secret accepted by the token endpoint (default {@code sim-secret}). */
    public SimulatorConfig clientSecret(String v) {
        clientSecret = Objects.requireNonNull(v);
        return this;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public String eraserClientId() {
        return eraserClientId;
    }

    public String eraserClientSecret() {
        return eraserClientSecret;
    }

    /** {@code expires_in} of issued OAuth tokens (default 3600). 0 issues tokens that are already expired. */
    public SimulatorConfig tokenLifetimeSeconds(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("tokenLifetimeSeconds: " + v);
        }
        tokenLifetimeSeconds = v;
        return this;
    }

    public int tokenLifetimeSeconds() {
        return tokenLifetimeSeconds;
    }

    /** Token endpoint limit per client id (default 10/s, burst 10). */
    public SimulatorConfig tokenRatePerSecond(double v) {
        tokenRatePerSecond = v;
        return this;
    }

    public double tokenRatePerSecond() {
        return tokenRatePerSecond;
    }

    /** Account endpoints limit (default 1/s). */
    public SimulatorConfig accountRatePerSecond(double v) {
        accountRatePerSecond = v;
        return this;
    }

    public double accountRatePerSecond() {
        return accountRatePerSecond;
    }

    /** Account endpoints burst (default 5). */
    public SimulatorConfig accountBurst(int v) {
        accountBurst = v;
        return this;
    }

    public int accountBurst() {
        return accountBurst;
    }

    /** Retrieval host limit (status, details, delete; default 15/s, burst 15). */
    public SimulatorConfig retrievalRatePerSecond(double v) {
        retrievalRatePerSecond = v;
        return this;
    }

    public double retrievalRatePerSecond() {
        return retrievalRatePerSecond;
    }

    /** Convenience: disables all rate limits. */
    public SimulatorConfig noRateLimits() {
        tokenRatePerSecond = 0;
        accountRatePerSecond = 0;
        retrievalRatePerSecond = 0;
        return this;
    }

    public SimulatorConfig callbacksEnabled(boolean v) {
        callbacksEnabled = v;
        return this;
    }

    public boolean callbacksEnabled() {
        return callbacksEnabled;
    }

    /** Delay between the end of processing and the callback (default 200 ms). */
    public SimulatorConfig callbackDelayMillis(long v) {
        callbackDelayMillis = Math.max(0, v);
        return this;
    }

    public long callbackDelayMillis() {
        return callbackDelayMillis;
    }

    /**
     * Terminal status of finalized workflows, sent in the callback and reported by retrieval:
     * PROCESSED (default), SESSION_EXPIRED or TOKEN_EXPIRED.
     */
    public SimulatorConfig callbackStatus(String v) {
        String s = Objects.requireNonNull(v).toUpperCase(Locale.ROOT);
        if (!CALLBACK_STATUSES.contains(s)) {
            throw new IllegalArgumentException("callbackStatus must be one of " + CALLBACK_STATUSES + ": " + v);
        }
        callbackStatus = s;
        return this;
    }

    public String callbackStatus() {
        return callbackStatus;
    }

    /** How many times the same callback is delivered (default 1; more simulates duplicates, sent concurrently). */
    public SimulatorConfig callbackDeliveries(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("callbackDeliveries: " + v);
        }
        callbackDeliveries = v;
        return this;
    }

    public int callbackDeliveries() {
        return callbackDeliveries;
    }

    /** Retries of a failed delivery (non-2xx or I/O error); default 0. */
    public SimulatorConfig callbackRetries(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("callbackRetries: " + v);
        }
        callbackRetries = v;
        return this;
    }

    public int callbackRetries() {
        return callbackRetries;
    }

    public SimulatorConfig callbackRetryDelayMillis(long v) {
        callbackRetryDelayMillis = Math.max(0, v);
        return this;
    }

    public long callbackRetryDelayMillis() {
        return callbackRetryDelayMillis;
    }

    /** Time from finalize (ACQUIRED) to PROCESSED (default 0). */
    public SimulatorConfig processingDelayMillis(long v) {
        processingDelayMillis = Math.max(0, v);
        return this;
    }

    public long processingDelayMillis() {
        return processingDelayMillis;
    }

    /**
     * Outcome used when no {@code nextOutcome} is queued and the data holds no "reject"/"warn". Default PASSED/OK/10.
     */
    public SimulatorConfig defaultOutcome(Outcome v) {
        defaultOutcome = Objects.requireNonNull(v);
        return this;
    }

    public Outcome defaultOutcome() {
        return defaultOutcome;
    }

    /**
     * When true (default), every request to the auth, account, api and retrieval hosts must carry a User-Agent that
     * names the application ({@code <Company> <App>/<version>}, as Jumio requires): none gets 400; a generic one gets
     * 403: blank, an HTTP library's or tool's default ({@code Java-http-client/...}, {@code okhttp/...},
     * {@code curl/...}, ...), or one without a {@code Name/version} token. The health check and the admin API are not
     * checked.
     */
    public SimulatorConfig checkUserAgents(boolean v) {
        checkUserAgents = v;
        return this;
    }

    public boolean checkUserAgents() {
        return checkUserAgents;
    }

    /**
     * Whether the main OAuth2 client holds Jumio's "retrieve &amp; delete" permission (default true). Without it,
     * retrieval
     * and deletion requests get 403.
     */
    public SimulatorConfig retrieveAndDeletePermission(boolean v) {
        retrieveAndDeletePermission = v;
        return this;
    }

    public boolean retrieveAndDeletePermission() {
        return retrieveAndDeletePermission;
    }

    /** Whether the eraser client ({@link #eraserClientId()}) holds "retrieve &amp; delete" (default true). */
    public SimulatorConfig eraserPermission(boolean v) {
        eraserPermission = v;
        return this;
    }

    public boolean eraserPermission() {
        return eraserPermission;
    }

    /**
     * When true, {@code workflowExecution.href} in callbacks and status omits the {@code /accounts/{a}} segment
     * ({@code <retrieval>/api/v1/workflow-executions/{w}}), the other reading of Jumio's docs. Default false.
     */
    public SimulatorConfig shortWorkflowHrefs(boolean v) {
        shortWorkflowHrefs = v;
        return this;
    }

    public boolean shortWorkflowHrefs() {
        return shortWorkflowHrefs;
    }

    /** Core size of the HTTP worker pool (default 16; it grows on demand so that delays do not stall others). */
    public SimulatorConfig threads(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("threads: " + v);
        }
        threads = v;
        return this;
    }

    public int threads() {
        return threads;
    }

    /** How long a request answered {@link AfterProcessing#NO_ANSWER} is held before its connection closes (30 s). */
    public SimulatorConfig noAnswerMillis(long v) {
        noAnswerMillis = Math.max(0, v);
        return this;
    }

    public long noAnswerMillis() {
        return noAnswerMillis;
    }

    /**
     * The answer to a finalize of an already finalized workflow: 200 (default: the receipt, nothing changes) or a
     * 4xx/5xx with a problem body (e.g. 409 or 400). Jumio does not document it.
     */
    public SimulatorConfig repeatFinalizeStatus(int v) {
        repeatFinalizeStatus = answerStatus("repeatFinalizeStatus", v);
        return this;
    }

    public int repeatFinalizeStatus() {
        return repeatFinalizeStatus;
    }

    /**
     * The answer to an upload to a finalized workflow: 400 (default) or another 4xx/5xx with a problem body, or 200
     * (the upload receipt; the data already uploaded stays as it is). Jumio does not document it.
     */
    public SimulatorConfig uploadAfterFinalizeStatus(int v) {
        uploadAfterFinalizeStatus = answerStatus("uploadAfterFinalizeStatus", v);
        return this;
    }

    public int uploadAfterFinalizeStatus() {
        return uploadAfterFinalizeStatus;
    }

    private static int answerStatus(String name, int v) {
        if (v != 200 && (v < 400 || v > 599)) {
            throw new IllegalArgumentException(name + " must be 200 or 4xx/5xx: " + v);
        }
        return v;
    }

    /**
     * When true, a token request answers the token handed out before as long as it is valid (until its {@code exp}),
     * while {@code expires_in} still states the full {@link #tokenLifetimeSeconds()}. Default false: a new token
     * each time.
     */
    public SimulatorConfig reuseAccessTokens(boolean v) {
        reuseAccessTokens = v;
        return this;
    }

    public boolean reuseAccessTokens() {
        return reuseAccessTokens;
    }

    /** How OAuth access tokens are written from now on (default {@link TokenFormat#JWT}). */
    public SimulatorConfig accessTokenFormat(TokenFormat v) {
        accessTokenFormat = Objects.requireNonNull(v);
        return this;
    }

    public TokenFormat accessTokenFormat() {
        return accessTokenFormat;
    }

    /**
     * When above 0, OAuth access tokens issued from now on expire after this many seconds (their {@code exp}, and
     * the simulator answers 401 from then on), while {@code expires_in} still states {@link #tokenLifetimeSeconds()}.
     * 0 (default): they expire after {@code tokenLifetimeSeconds}.
     */
    public SimulatorConfig accessTokenExpSeconds(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("accessTokenExpSeconds: " + v);
        }
        accessTokenExpSeconds = v;
        return this;
    }

    public int accessTokenExpSeconds() {
        return accessTokenExpSeconds;
    }

    /** How the workflow api.tokens of the account answer are written from now on (default {@link TokenFormat#JWT}). */
    public SimulatorConfig workflowTokenFormat(TokenFormat v) {
        workflowTokenFormat = Objects.requireNonNull(v);
        return this;
    }

    public TokenFormat workflowTokenFormat() {
        return workflowTokenFormat;
    }

    /** The shape of {@code parts.prepared_data} in account answers from now on (default {@link LinkShape#JUMIO}). */
    public SimulatorConfig uploadLink(LinkShape v) {
        uploadLink = Objects.requireNonNull(v);
        return this;
    }

    public LinkShape uploadLink() {
        return uploadLink;
    }

    /**
     * The shape of {@code api.workflowExecution} (the finalize URL) in account and upload answers from now on
     * (default {@link LinkShape#JUMIO}); {@link LinkShape#NO_WORKFLOW_SEGMENT} is for upload URLs only.
     */
    public SimulatorConfig finalizeLink(LinkShape v) {
        if (Objects.requireNonNull(v) == LinkShape.NO_WORKFLOW_SEGMENT) {
            throw new IllegalArgumentException("finalizeLink cannot be NO_WORKFLOW_SEGMENT (an upload URL shape)");
        }
        finalizeLink = v;
        return this;
    }

    public LinkShape finalizeLink() {
        return finalizeLink;
    }

    /**
     * The share (0 to 1, default 0: off) of processed account requests ({@link Endpoint#ACCOUNT_CREATE} and
     * {@link Endpoint#ACCOUNT_UPDATE} answered 2xx) that get an ambiguous answer instead of theirs, drawn at random
     * from {@link #ambiguousAccountMix()} with {@link #ambiguousAccountSeed()}: the workflow exists, the client cannot
     * tell. An answer queued with {@link JumioSimulator#afterProcessingNext} comes first and draws nothing. The draws
     * restart from the seed when a setting of this mode is made through {@link JumioSimulator} or the admin API.
     */
    public SimulatorConfig ambiguousAccountFraction(double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("ambiguousAccountFraction must be between 0 and 1: " + v);
        }
        ambiguousAccountFraction = v;
        return this;
    }

    public double ambiguousAccountFraction() {
        return ambiguousAccountFraction;
    }

    /**
     * Which ambiguous answers {@link #ambiguousAccountFraction(double)} gives, as relative weights (default
     * {@link #DEFAULT_AMBIGUOUS_MIX}); an answer left out is never given. Weights are 0 or more, at least one above 0.
     */
    public SimulatorConfig ambiguousAccountMix(Map<AfterProcessing, ? extends Number> v) {
        ambiguousAccountMix = mix(v);
        return this;
    }

    public Map<AfterProcessing, Double> ambiguousAccountMix() {
        return ambiguousAccountMix;
    }

    /** The seed of the draws of {@link #ambiguousAccountFraction(double)} (default 0), for reproducible runs. */
    public SimulatorConfig ambiguousAccountSeed(long v) {
        ambiguousAccountSeed = v;
        return this;
    }

    public long ambiguousAccountSeed() {
        return ambiguousAccountSeed;
    }

    private static Map<AfterProcessing, Double> mix(Map<AfterProcessing, ? extends Number> weights) {
        Map<AfterProcessing, Double> m = new EnumMap<>(AfterProcessing.class);
        double sum = 0;
        for (Map.Entry<AfterProcessing, ? extends Number> e : Objects.requireNonNull(weights).entrySet()) {
            double w = Objects.requireNonNull(e.getValue(), "weight").doubleValue();
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("ambiguousAccountMix: the weight of " + e.getKey()
                        + " must be a number of 0 or more: " + w);
            }
            if (w > 0) {
                m.put(Objects.requireNonNull(e.getKey()), w);
                sum += w;
            }
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("ambiguousAccountMix needs at least one weight above 0");
        }
        return Collections.unmodifiableMap(m);
    }
}
