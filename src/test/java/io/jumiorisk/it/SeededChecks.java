package io.jumiorisk.it;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jumiorisk.check.RequestHashes;
import io.jumiorisk.keys.DataKey;
import io.jumiorisk.keys.KeyedHash;
import io.jumiorisk.keys.TokenSeal;
import io.jumiorisk.sim.SeededWorkflow;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.TestServices;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Table state for the native integration tests. The binary under test serves one handler and no bean can be injected
 * into it, so a check that another function would have started is written here, item by item, in the same shape as
 * {@code CheckStore} writes it.
 */
final class SeededChecks {
    private static final KeyedHash KEYED = new KeyedHash(DataKey.of(TestServices.DATA_KEY));
    private static final TokenSeal SEAL = new TokenSeal(KEYED);
    private static final RequestHashes HASHES = new RequestHashes(KEYED, Events.JSON);

    private SeededChecks() {
    }

    /** A check whose start finished at {@code finalizedAt}, waiting for Jumio: what initiate leaves behind. */
    static String pending(SeededWorkflow workflow, Instant finalizedAt) {
        return pending(workflow, finalizedAt, null);
    }

    /** As {@link #pending(SeededWorkflow, Instant)}, with a Step Functions task waiting on the check. */
    static String pending(SeededWorkflow workflow, Instant finalizedAt, String taskToken) {
        return pending(newId(), workflow, finalizedAt, taskToken);
    }

    /** A check id chosen before its workflow is seeded, so that the workflow's callback URL can name it. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** As {@link #pending(SeededWorkflow, Instant, String)}, under the id {@code checkId}. */
    static String pending(String checkId, SeededWorkflow workflow, Instant finalizedAt, String taskToken) {
        Map<String, AttributeValue> item = base(checkId, workflow, finalizedAt);
        item.put("status", s("PENDING"));
        if (taskToken != null) {
            // Sealed as the product seals it, under the tests' data key: the binary must unseal it to use it.
            item.put("sealedTaskToken", s(SEAL.seal(taskToken)));
            item.put("taskState", s("WAITING"));
        }
        put(item);
        pointer(workflow.workflowExecutionId(), checkId);
        return checkId;
    }

    /** A check that is complete in the table, decision included. */
    static String processed(SeededWorkflow workflow, String type, String label, int score) {
        String checkId = UUID.randomUUID().toString();
        Instant finalized = Instant.now().minusSeconds(60);
        Map<String, AttributeValue> item = base(checkId, workflow, finalized);
        item.put("status", s("PROCESSED"));
        item.put("callbackStatus", s("PROCESSED"));
        item.put("callbackReceivedAt", s(finalized.plusSeconds(5).toString()));
        item.put("completedAt", s(finalized.plusSeconds(6).toString()));
        item.put("detailsPending", AttributeValue.fromBool(false));
        item.put("decision", AttributeValue.fromM(Map.of(
                "type", s(type),
                "label", s(label),
                "riskScore", AttributeValue.fromN(Integer.toString(score)),
                "capabilities", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                        "name", s("emailVerification"), "type", s(type), "label", s(label))))))));
        put(item);
        pointer(workflow.workflowExecutionId(), checkId);
        return checkId;
    }

    /**
     * A check whose account request Jumio answered ambiguously, and whose retry started its own workflow: the attempt
     * is on record, and the check keeps the keyed hash of its {@code reference}, as the product writes them.
     */
    static void pendingAfterAnAmbiguousAttempt(String checkId, SeededWorkflow own, String reference,
            Instant attemptAt) {
        pending(checkId, own, Instant.now(), null);
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", s("CHECK#" + checkId)))
                .updateExpression("SET startAttempts = :a, createdAt = :c, referenceHash = :r")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                        "at", s(attemptAt.toString()), "answer", s("HTTP_502"))))),
                        ":c", s(attemptAt.minusSeconds(1).toString()),
                        ":r", s(HASHES.idempotencyKey(reference)))));
    }

    /**
     * Erases {@code checkId} in the table as the erase function does: the check becomes its tombstone, and its
     * idempotency item keeps leading to it (ids only) until the tombstone expires.
     */
    static void erased(String checkId) {
        Map<String, AttributeValue> check = check(checkId);
        Instant now = Instant.now();
        AttributeValue expires = AttributeValue.fromN(Long.toString(now.plusSeconds(365L * 86_400).getEpochSecond()));
        put(new HashMap<>(Map.of("pk", s("CHECK#" + checkId), "checkId", s(checkId), "status", s("ERASED"),
                "erasureScope", s("workflow"), "erasureOutcome", s("DELETED"), "erasureRequestedAt", s(now.toString()),
                "erasedAt", s(now.toString()), "updatedAt", s(now.toString()), "expiresAt", expires)));
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", check.get("idempotencyItem")))
                .updateExpression("SET expiresAt = :e REMOVE requestHash")
                .expressionAttributeValues(Map.of(":e", expires)));
    }

    /** A workflow that a callback found to be an orphan of {@code checkId}, listed for the erase sweep. */
    static void orphanFound(String workflowExecutionId, String accountId, String checkId) {
        put(new HashMap<>(Map.of("pk", s("ORPHAN#" + workflowExecutionId), "checkId", s(checkId),
                "accountId", s(accountId), "state", s("PENDING"), "foundAt", s(Instant.now().toString()))));
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", s("SWEEP#orphans"))).updateExpression("ADD workflowIds :w")
                .expressionAttributeValues(Map.of(":w", AttributeValue.fromSs(List.of(workflowExecutionId)))));
    }

    static Map<String, AttributeValue> check(String checkId) {
        return TestServices.item("CHECK#" + checkId);
    }

    static String status(String checkId) {
        Map<String, AttributeValue> item = check(checkId);
        return item == null ? null : item.get("status").s();
    }

    private static Map<String, AttributeValue> base(String checkId, SeededWorkflow workflow, Instant finalizedAt) {
        Instant created = finalizedAt.minusSeconds(2);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("CHECK#" + checkId));
        item.put("checkId", s(checkId));
        item.put("step", s("FINALIZED"));
        item.put("requestHash", s("seeded-by-native-it"));
        item.put("workflowKey", s("10066"));
        item.put("accountId", s(workflow.accountId()));
        item.put("workflowExecutionId", s(workflow.workflowExecutionId()));
        item.put("createdAt", s(created.toString()));
        item.put("updatedAt", s(finalizedAt.toString()));
        item.put("finalizedAt", s(finalizedAt.toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(Instant.now().plusSeconds(86_400).getEpochSecond())));
        item.put("version", AttributeValue.fromN("3"));
        return item;
    }

    private static void pointer(String workflowExecutionId, String checkId) {
        put(new HashMap<>(Map.of("pk", s("WX#" + workflowExecutionId), "checkId", s(checkId),
                "expiresAt", AttributeValue.fromN(Long.toString(Instant.now().plusSeconds(86_400).getEpochSecond())))));
    }

    private static void put(Map<String, AttributeValue> item) {
        TestServices.dynamo().putItem(p -> p.tableName(TestServices.TABLE).item(item));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
