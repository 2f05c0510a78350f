package io.jumiorisk.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.sim.Http.ApiException;

/**
 * Jumio's side of one tenant, shared by all hosts: its settings and rate limits, the accounts and workflow executions
 * it holds, the workflow tokens it handed out, and the outcomes a test queued for the next executions.
 */
final class Tenant {

    /** A workflow execution's api.token: whose it is and until when. */
    record WorkflowToken(String workflowId, long expiresAt) {
    }

    private final SimulatorConfig initial;
    private volatile SimulatorConfig cfg;

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();
    /** Workflow api.token → owner. */
    private final Map<String, WorkflowToken> workflowTokens = new ConcurrentHashMap<>();
    private final Queue<Outcome> nextOutcomes = new ConcurrentLinkedQueue<>();
    /** Told of every bearer token issued (OAuth access tokens and workflow tokens), through resets too. */
    private volatile java.util.function.Consumer<String> issuedTokens = token -> {
    };

    /** One bucket per OAuth2 client id. */
    private final Map<String, RateLimiter> tokenLimiters = new ConcurrentHashMap<>();
    private volatile RateLimiter accountLimiter;
    private volatile RateLimiter retrievalLimiter;
    /** The draws of the probabilistic ambiguous answers ({@link SimulatorConfig#ambiguousAccountFraction(double)}). */
    private Random ambiguousDraws;

    Tenant(SimulatorConfig config) {
        this.initial = Objects.requireNonNull(config).copy();
        this.cfg = initial.copy();
        resetLimits();
    }

    void issued(String token) {
        issuedTokens.accept(token);
    }

    void onTokenIssued(java.util.function.Consumer<String> listener) {
        issuedTokens = listener;
    }

    /** The live settings; a reset replaces them, so read them once per request. */
    SimulatorConfig cfg() {
        return cfg;
    }

    /**
     * Forgets accounts, workflows, their tokens and queued outcomes, and goes back to the constructor's settings
     * ({@code boundPort}, when not null, stays the port).
     */
    void reset(Integer boundPort) {
        SimulatorConfig fresh = initial.copy();
        if (boundPort != null) {
            fresh.port(boundPort);
        }
        cfg = fresh;
        accounts.clear();
        workflows.clear();
        workflowTokens.clear();
        nextOutcomes.clear();
        resetLimits();
        restartAmbiguousDraws();
    }

    // ------------------------------------------------------------------------------------------------ rate limits

    /** Applies the rate settings and refills every bucket. */
    void resetLimits() {
        SimulatorConfig c = cfg;
        tokenLimiters.clear();
        accountLimiter = new RateLimiter(c.accountRatePerSecond(), Math.max(1, c.accountBurst()));
        retrievalLimiter = new RateLimiter(c.retrievalRatePerSecond(), Math.max(1, c.retrievalRatePerSecond()));
    }

    /** The token endpoint's bucket for a client, made on first use with the rate then in force. */
    RateLimiter tokenLimiter(String clientId) {
        SimulatorConfig c = cfg;
        return tokenLimiters.computeIfAbsent(clientId,
                k -> new RateLimiter(c.tokenRatePerSecond(), Math.max(1, c.tokenRatePerSecond())));
    }

    RateLimiter accountLimiter() {
        return accountLimiter;
    }

    RateLimiter retrievalLimiter() {
        return retrievalLimiter;
    }

    // ------------------------------------------------------------------------------------------------ ambiguous
    // answers

    /** The draws start again from {@link SimulatorConfig#ambiguousAccountSeed()}. */
    synchronized void restartAmbiguousDraws() {
        ambiguousDraws = new Random(cfg.ambiguousAccountSeed());
    }

    /**
     * For a processed account request: the ambiguous answer drawn for it, or null. Each processed request takes two
     * draws (whether it is hit, and which answer) whatever the outcome, so that with one seed the requests hit by a
     * smaller fraction are also hit by a larger one, and the n-th processed request always meets the same draws.
     */
    synchronized AfterProcessing drawAmbiguousAnswer() {
        SimulatorConfig c = cfg;
        double fraction = c.ambiguousAccountFraction();
        if (fraction <= 0) {
            return null;
        }
        double hit = ambiguousDraws.nextDouble();
        double pick = ambiguousDraws.nextDouble();
        if (hit >= fraction) {
            return null;
        }
        Map<AfterProcessing, Double> mix = c.ambiguousAccountMix();
        double point = pick * mix.values().stream().mapToDouble(Double::doubleValue).sum();
        AfterProcessing last = null;
        for (Map.Entry<AfterProcessing, Double> e : mix.entrySet()) {
            last = e.getKey();
            point -= e.getValue();
            if (point < 0) {
                return last;
            }
        }
        return last;
    }

    // ------------------------------------------------------------------------------------------------ accounts

    Account newAccount() {
        Account acc = new Account(Http.uuid());
        accounts.put(acc.id, acc);
        return acc;
    }

    /** The account, or 404. */
    Account account(String id) {
        Account acc = accounts.get(id);
        if (acc == null) {
            throw accountNotFound(id);
        }
        return acc;
    }

    /** Deletes an account and every workflow execution in it; 404 if unknown. */
    void deleteAccount(String id) {
        Account acc = accounts.remove(id);
        if (acc == null) {
            throw accountNotFound(id);
        }
        for (String wfId : acc.workflowIds) {
            Workflow wf = workflows.get(wfId);
            if (wf != null) {
                forget(wf);
            }
        }
    }

    private static ApiException accountNotFound(String id) {
        return new ApiException(404, "Account " + id + " not found");
    }

    // ------------------------------------------------------------------------------------------------ workflows

    /** Adds a workflow execution started in {@code acc}. */
    void add(Account acc, Workflow wf) {
        workflowTokens.put(wf.apiToken, new WorkflowToken(wf.id, wf.tokenExpiresAt));
        issued(wf.apiToken);
        workflows.put(wf.id, wf);
        acc.workflowIds.add(wf.id);
    }

    /** The workflow execution, or null. */
    Workflow workflow(String id) {
        return workflows.get(id);
    }

    /** The workflow execution when it belongs to the account, or 404. */
    Workflow find(String accountId, String workflowId) {
        Workflow wf = workflows.get(workflowId);
        if (wf == null || !wf.accountId.equals(accountId)) {
            throw new ApiException(404, "Workflow execution " + workflowId + " not found for account " + accountId);
        }
        return wf;
    }

    /** The workflow execution of the account that holds this credential, or 404. */
    Workflow findByCredential(String accountId, String credentialId) {
        return account(accountId).workflowIds.stream()
                .map(workflows::get)
                .filter(wf -> wf != null && wf.credentialId.equals(credentialId))
                .findFirst()
                .orElseThrow(() -> new ApiException(404,
                        "Credential " + credentialId + " not found for account " + accountId));
    }

    Set<String> workflowIds() {
        return Set.copyOf(workflows.keySet());
    }

    /** Every workflow execution held (not deleted), oldest first. */
    List<LiveWorkflow> live(long now) {
        return workflows.values().stream()
                .sorted(Comparator.comparingLong(wf -> wf.sequence))
                .map(wf -> wf.live(now))
                .toList();
    }

    /**
     * Expires with {@code status} every workflow execution that is not finalized and whose token lifetime ends by
     * {@code tokenExpiredBy}; returns those it expired.
     */
    List<Workflow> expireUnfinalized(String status, long now, long tokenExpiredBy) {
        return workflows.values().stream().filter(wf -> wf.expireIfUnfinalized(status, now, tokenExpiredBy)).toList();
    }

    void deleteWorkflow(Workflow wf) {
        forget(wf);
        Account acc = accounts.get(wf.accountId);
        if (acc != null) {
            acc.workflowIds.remove(wf.id);
        }
    }

    private void forget(Workflow wf) {
        workflows.remove(wf.id);
        workflowTokens.remove(wf.apiToken);
    }

    /** The owner of a workflow api.token, or null (also for a null token). */
    WorkflowToken workflowToken(String token) {
        return token == null ? null : workflowTokens.get(token);
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    void queueOutcome(Outcome o, int times) {
        for (int i = 0; i < times; i++) {
            nextOutcomes.add(o);
        }
    }

    /**
     * A queued outcome if there is one; else REJECTED or WARNING when any prepared value says "reject" or "warn", so
     * that a test can steer the decision through its data; else the configured default.
     */
    Outcome decideOutcome(JsonNode preparedData) {
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
}
