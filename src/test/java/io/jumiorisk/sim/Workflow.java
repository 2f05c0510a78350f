package io.jumiorisk.sim;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One workflow execution: INITIATED when the account host starts it, ACQUIRED once finalized, then its terminal
 * status when the processing delay has passed (or SESSION_EXPIRED / TOKEN_EXPIRED when it is expired; one that is not
 * finalized when its api.token's lifetime ends expires as TOKEN_EXPIRED).
 */
final class Workflow {

    /** The statuses that {@link JumioSimulator#expire} may end a workflow with. */
    static final Set<String> EXPIRED_STATUSES = Set.of("SESSION_EXPIRED", "TOKEN_EXPIRED");

    /** Orders workflows by creation when several are made in the same millisecond. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    final long sequence = SEQUENCE.incrementAndGet();
    final String id;
    final String accountId;
    final String credentialId;
    final String capabilityId = Http.uuid();
    final String definitionKey;
    final String customerInternalReference;
    final String userReference;
    final String callbackUrl;
    final String apiToken;
    /** When the api.token's lifetime ({@code tokenLifetime} of the account request) ends. */
    final long tokenExpiresAt;
    final long createdAt;

    private ObjectNode preparedData;
    private String status = "INITIATED";
    volatile long finalizedAt;
    private long processedAt;
    private long expiredAt;
    private String terminalStatus;
    volatile Outcome outcome;

    Workflow(String id, String accountId, String credentialId, String definitionKey, String cir,
            String userReference, String callbackUrl, String apiToken, long tokenExpiresAt, long createdAt) {
        this.id = id;
        this.accountId = accountId;
        this.credentialId = credentialId;
        this.definitionKey = definitionKey;
        this.customerInternalReference = cir;
        this.userReference = userReference;
        this.callbackUrl = callbackUrl;
        this.apiToken = apiToken;
        this.tokenExpiresAt = tokenExpiresAt;
        this.createdAt = createdAt;
    }

    synchronized String status(long now) {
        if (status.equals("ACQUIRED") && now >= processedAt) {
            status = terminalStatus;
        }
        return status;
    }

    /** Adds to the prepared data uploaded so far (a later upload overwrites the fields it names). */
    synchronized void upload(ObjectNode pd) {
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

    /**
     * Expires this workflow with {@code s} when it is still INITIATED (not finalized, not expired) and its token's
     * lifetime ends by {@code tokenExpiredBy}; tells whether it did.
     */
    synchronized boolean expireIfUnfinalized(String s, long now, long tokenExpiredBy) {
        if (!status.equals("INITIATED") || tokenExpiresAt > tokenExpiredBy) {
            return false;
        }
        expire(s, now);
        return true;
    }

    synchronized long completedAt() {
        if (expiredAt != 0) {
            return expiredAt;
        }
        return processedAt;
    }

    LiveWorkflow live(long now) {
        return new LiveWorkflow(id, accountId, status(now), finalizedAt != 0, Instant.ofEpochMilli(createdAt),
                customerInternalReference);
    }

    /** What the account and api hosts' answers about this execution begin with. */
    ObjectNode receipt(long now) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("timestamp", Http.timestamp(now));
        n.putObject("account").put("id", accountId);
        n.putObject("workflowExecution").put("id", id);
        return n;
    }
}
