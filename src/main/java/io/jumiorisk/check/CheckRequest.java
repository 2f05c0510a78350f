package io.jumiorisk.check;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated request to start a check: the {@code POST /checks} body. {@code preparedData} holds personal data; it
 * goes to Jumio and nowhere else (never to logs, errors or the table).
 */
public record CheckRequest(String customerInternalReference, String userReference, String workflowKey,
        String accountId, ObjectNode preparedData) {

    @Override
    public String toString() {
        return "CheckRequest[workflowKey=" + workflowKey + ", accountId=" + accountId + "]";
    }
}
