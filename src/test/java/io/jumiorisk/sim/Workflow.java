package io.jumiorisk.sim;

import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One workflow execution: INITIATED when the account host starts it, ACQUIRED once finalized, then its terminal
 * status when the processing delay has passed (or SESSION_EXPIRED / TOKEN_EXPIRED when it is expired).
 */
final class Workflow {

    /** The statuses that {@link JumioSimulator#expire} may end a workflow with. */
    static final Set<String> EXPIRED_STATUSES = Set.of("SESSION_EXPIRED", "TOKEN_EXPIRED");

    final String id;
    final String accountId;
    final String credentialId;
    final String capabilityId = Http.uuid();
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

    synchronized long completedAt() {
        if (expiredAt != 0) {
            return expiredAt;
        }
        return processedAt;
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
