package io.jumiorisk.sim;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link JumioSimulator}. Fluent setters, getters of the same name without argument.
 * {@link JumioSimulator#reset()} restores the configuration the simulator was constructed with.
 * A rate of 0 (or less) disables the corresponding rate limit.
 */
public final class SimulatorConfig {

    public static final Set<String> CALLBACK_STATUSES = Set.of("PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED");

    private volatile int port = 0;
    private volatile String clientId = "sim-client";
    private volatile String clientSecret = "sim-secret";
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
    private volatile boolean rejectLibraryUserAgents = true;
    private volatile boolean retrieveAndDeletePermission = true;
    private volatile boolean shortWorkflowHrefs = false;
    private volatile int threads = 16;

    public static SimulatorConfig defaults() {
        return new SimulatorConfig();
    }

    public SimulatorConfig copy() {
        SimulatorConfig c = new SimulatorConfig();
        c.port = port;
        c.clientId = clientId;
        c.clientSecret = clientSecret;
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
        c.rejectLibraryUserAgents = rejectLibraryUserAgents;
        c.retrieveAndDeletePermission = retrieveAndDeletePermission;
        c.shortWorkflowHrefs = shortWorkflowHrefs;
        c.threads = threads;
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
     * When true (default), account requests whose User-Agent is an HTTP library's default (Java-http-client,
     * Vert.x, Apache-HttpClient, okhttp, RESTEasy, ...) get 403, as Jumio rejects "suspicious" headers.
     */
    public SimulatorConfig rejectLibraryUserAgents(boolean v) {
        rejectLibraryUserAgents = v;
        return this;
    }

    public boolean rejectLibraryUserAgents() {
        return rejectLibraryUserAgents;
    }

    /**
     * Whether the OAuth2 client holds Jumio's "retrieve &amp; delete" permission (default true). Without it, retrieval
     * and deletion requests get 403.
     */
    public SimulatorConfig retrieveAndDeletePermission(boolean v) {
        retrieveAndDeletePermission = v;
        return this;
    }

    public boolean retrieveAndDeletePermission() {
        return retrieveAndDeletePermission;
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
}
