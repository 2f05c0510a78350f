package io.jumiorisk.store;

import static io.jumiorisk.store.Attr.bool;
import static io.jumiorisk.store.Attr.flag;
import static io.jumiorisk.store.Attr.instant;
import static io.jumiorisk.store.Attr.n;
import static io.jumiorisk.store.Attr.num;
import static io.jumiorisk.store.Attr.s;
import static io.jumiorisk.store.Attr.str;
import static io.jumiorisk.store.Attr.time;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.jumiorisk.jumio.WorkflowStart;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The checks table. One partition key, {@code pk}, and three kinds of item:
 * <ul>
 * <li>{@code CHECK#<checkId>}: the check itself;</li>
 * <li>{@code IDEM#<keyed hash of the idempotency key>}: which check a key started, and the keyed hash of its body;</li>
 * <li>{@code WX#<workflowExecutionId>}: which check a Jumio workflow belongs to, for callbacks.</li>
 * </ul>
 * Every write that moves a check forward is conditional, so that retries, duplicates and races change state once.
 */
@ApplicationScoped
public class CheckStore {
    private static final String PENDING = CheckStatus.PENDING.name();
    /** Attempts of a write that DynamoDB refuses for a concurrent write to the same item: about 0.6 s at most. */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final StoreConfig config;

    public CheckStore(DynamoDbClient dynamo, StoreConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    /** A new check, or the one that the idempotency key already started. */
    public record Claim(CheckRecord check, boolean created, String existingRequestHash) {
    }

    /**
     * Records a check before anything is sent to Jumio, together with its idempotency item, in one transaction. The
     * creator holds the lease on the new check until {@code leaseUntil}.
     */
    public Claim createOrFind(String checkId, String keyHash, String requestHash, String workflowKey,
            String taskToken, String leaseOwner, long leaseUntil) {
        Instant now = Instant.now();
        long expiresAt = now.plus(config.retention()).getEpochSecond();
        Map<String, AttributeValue> check = new HashMap<>();
        check.put("pk", s(checkKey(checkId)));
        check.put("checkId", s(checkId));
        check.put("status", s(PENDING));
        check.put("step", s(Step.RECORDED.name()));
        check.put("requestHash", s(requestHash));
        check.put("workflowKey", s(workflowKey));
        check.put("leaseOwner", s(leaseOwner));
        check.put("leaseUntil", n(leaseUntil));
        check.put("createdAt", time(now));
        check.put("updatedAt", time(now));
        check.put("expiresAt", n(expiresAt));
        // So that an erasure can remove the idempotency item too: it is a keyed hash of the caller's reference.
        check.put("idempotencyItem", s("IDEM#" + keyHash));
        if (taskToken != null) {
            check.put("taskToken", s(taskToken));
            check.put("taskState", s(TaskState.WAITING.name()));
        }
        Map<String, AttributeValue> idem = Map.of(
                "pk", s("IDEM#" + keyHash),
                "checkId", s(checkId),
                "requestHash", s(requestHash),
                "expiresAt", n(expiresAt));
        try {
            transact(TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(idem)
                    .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(check)
                            .conditionExpression("attribute_not_exists(pk)").build()).build());
            return new Claim(read(check), true, requestHash);
        } catch (TransactionCanceledException e) {
            if (!conditionFailed(e)) {
                throw e;
            }
        }
        Map<String, AttributeValue> existing = getItem("IDEM#" + keyHash)
                .orElseThrow(() -> new IllegalStateException("Idempotency item vanished during a race"));
        // Both items were written by one transaction and expire together; only TTL's lag can part them.
        CheckRecord found = get(str(existing, "checkId"))
                .orElseThrow(() -> new IllegalStateException("Idempotency item points at a check that has expired"));
        return new Claim(found, false, str(existing, "requestHash"));
    }

    public Optional<CheckRecord> get(String checkId) {
        return getItem(checkKey(checkId)).map(CheckStore::read);
    }

    public Optional<String> checkIdForWorkflow(String workflowExecutionId) {
        return getItem("WX#" + workflowExecutionId).map(item -> str(item, "checkId"));
    }

    /**
     * Takes over the start of a check whose previous starter gave up or died (its lease ran out with its Lambda). A
     * start that was finalized or ended meanwhile is never taken over: a late duplicate has nothing left to do.
     */
    public boolean acquireLease(String checkId, String owner, long until) {
        return update(checkId, "SET leaseOwner = :o, leaseUntil = :u, updatedAt = :now",
                "attribute_exists(pk) AND #status = :pending AND step <> :finalized"
                        + " AND attribute_not_exists(erasureScope)"
                        + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)",
                Map.of(":o", s(owner), ":u", n(until), ":nowMs", n(System.currentTimeMillis()), ":pending", s(PENDING),
                        ":finalized", s(Step.FINALIZED.name())));
    }

    public void releaseLease(String checkId, String owner) {
        update(checkId, "REMOVE leaseOwner, leaseUntil SET updatedAt = :now", "leaseOwner = :o",
                Map.of(":o", s(owner)));
    }

    /** Adds or replaces the Step Functions task token of a check that has not completed its task yet. */
    public void attachTaskToken(String checkId, String taskToken) {
        update(checkId, "SET taskToken = :t, taskState = :w, updatedAt = :now",
                "attribute_exists(pk) AND (attribute_not_exists(taskState) OR taskState = :w)",
                Map.of(":t", s(taskToken), ":w", s(TaskState.WAITING.name())));
    }

    /**
     * Records the workflow that Jumio started, and the pointer that lets its callback find the check. Fenced by the
     * lease and the step, so that a starter that lost its lease cannot write over a successor.
     */
    public void recordWorkflowStarted(String checkId, String owner, WorkflowStart start, String sealedToken) {
        Instant now = Instant.now();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":o", s(owner));
        values.put(":from", s(Step.RECORDED.name()));
        values.put(":to", s(Step.WORKFLOW_STARTED.name()));
        values.put(":a", s(start.accountId()));
        values.put(":w", s(start.workflowExecutionId()));
        values.put(":up", s(start.preparedDataUrl()));
        values.put(":fin", s(start.workflowExecutionUrl()));
        values.put(":tok", s(sealedToken));
        values.put(":now", time(now));
        Map<String, AttributeValue> pointer = Map.of(
                "pk", s("WX#" + start.workflowExecutionId()),
                "checkId", s(checkId),
                "expiresAt", n(now.plus(config.retention()).getEpochSecond()));
        try {
            transact(TransactWriteItem.builder().update(Update.builder().tableName(config.table())
                    .key(Map.of("pk", s(checkKey(checkId))))
                    .updateExpression("SET step = :to, accountId = :a, workflowExecutionId = :w, "
                            + "preparedDataUrl = :up, workflowExecutionUrl = :fin, sealedToken = :tok, "
                            + "updatedAt = :now")
                    .conditionExpression("leaseOwner = :o AND step = :from")
                    .expressionAttributeValues(values).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(pointer)
                            .conditionExpression("attribute_not_exists(pk)").build()).build());
        } catch (TransactionCanceledException e) {
            if (conditionFailed(e)) {
                throw new LeaseLost(checkId);
            }
            throw e;
        }
    }

    public void recordUploaded(String checkId, String owner) {
        if (!update(checkId, "SET step = :to, updatedAt = :now", "leaseOwner = :o AND step = :from",
                Map.of(":o", s(owner), ":from", s(Step.WORKFLOW_STARTED.name()), ":to",
                        s(Step.DATA_UPLOADED.name())))) {
            throw new LeaseLost(checkId);
        }
    }

    /**
     * The start is complete: the workflow token and its URLs are dropped, the lease released. Status fields are left
     * alone, because Jumio's callback may already have been recorded. Comes from {@code WORKFLOW_STARTED} (the upload
     * is recorded on its own only when finalize failed after it) or from {@code DATA_UPLOADED}.
     */
    public void recordFinalized(String checkId, String owner) {
        if (!update(checkId, "SET step = :to, finalizedAt = :now, updatedAt = :now "
                + "REMOVE sealedToken, preparedDataUrl, workflowExecutionUrl, leaseOwner, leaseUntil",
                "leaseOwner = :o AND (step = :started OR step = :uploaded)",
                Map.of(":o", s(owner), ":started", s(Step.WORKFLOW_STARTED.name()),
                        ":uploaded", s(Step.DATA_UPLOADED.name()), ":to", s(Step.FINALIZED.name())))) {
            throw new LeaseLost(checkId);
        }
    }

    /** Jumio refused the start for good; {@code reason} is a code such as {@code JUMIO_400_ACCOUNT_CREATE}. */
    public void recordStartFailed(String checkId, String owner, String reason) {
        update(checkId, "SET #status = :failed, failureReason = :r, completedAt = :now, updatedAt = :now "
                + "REMOVE sealedToken, leaseOwner, leaseUntil",
                "leaseOwner = :o AND #status = :pending",
                Map.of(":o", s(owner), ":failed", s(CheckStatus.FAILED.name()), ":r", s(reason), ":pending",
                        s(PENDING)));
    }

    /**
     * Records Jumio's callback status once. Every status a callback can carry is terminal, so the first one to arrive
     * wins and duplicates or late ones change nothing. PROCESSED marks the details as still to be fetched; the
     * expiry statuses complete the check at once.
     *
     * @return whether this call changed the check
     */
    public boolean recordCallback(String checkId, String callbackStatus) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":cs", s(callbackStatus));
        values.put(":pending", s(PENDING));
        String set = "SET callbackStatus = :cs, callbackReceivedAt = :now, updatedAt = :now";
        if (CheckStatus.PROCESSED.name().equals(callbackStatus)) {
            set += ", detailsPending = :t";
            values.put(":t", bool(true));
        } else {
            set += ", #status = :cs, completedAt = :now";
        }
        return update(checkId, set,
                "attribute_exists(pk) AND attribute_not_exists(callbackStatus) AND #status = :pending",
                values);
    }

    /**
     * A {@code PROCESSED} callback whose decision has already been fetched: records the callback and the decision in
     * one write, under the same condition as {@link #recordCallback}, so the first callback still wins and a duplicate
     * or a check that ended meanwhile changes nothing. Saves the second write of record-then-decide.
     *
     * @return whether this call changed the check
     */
    public boolean recordCallbackWithDecision(String checkId, Decision decision) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":cs", s(CheckStatus.PROCESSED.name()));
        values.put(":pending", s(PENDING));
        values.put(":f", bool(false));
        values.put(":d", DecisionCodec.encode(decision));
        return update(checkId, "SET callbackStatus = :cs, callbackReceivedAt = :now, #status = :cs, decision = :d, "
                + "detailsPending = :f, completedAt = :now, updatedAt = :now",
                "attribute_exists(pk) AND attribute_not_exists(callbackStatus) AND #status = :pending", values);
    }

    /** Stores the decision summary and completes the check, once: whoever gets there first wins. */
    public boolean recordDecision(String checkId, Decision decision) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":done", s(CheckStatus.PROCESSED.name()));
        values.put(":pending", s(PENDING));
        values.put(":f", bool(false));
        values.put(":d", DecisionCodec.encode(decision));
        return update(checkId,
                "SET #status = :done, decision = :d, detailsPending = :f, completedAt = :now, updatedAt = :now",
                "attribute_exists(pk) AND #status = :pending", values);
    }

    /** Completes a check whose workflow Jumio reports as expired, when no callback said so. */
    public boolean recordExpired(String checkId, CheckStatus expired) {
        return update(checkId, "SET #status = :e, completedAt = :now, updatedAt = :now, detailsPending = :f",
                "attribute_exists(pk) AND #status = :pending",
                Map.of(":e", s(expired.name()), ":pending", s(PENDING), ":f", bool(false)));
    }

    /**
     * Claims the right to ask Jumio about a pending check now, and books the next time anyone may. Only one caller
     * wins a slot, so concurrent GETs cannot stampede Jumio and the polling schedule holds across containers.
     */
    public boolean claimPoll(String checkId, Instant notBefore, int expectedPollCount, Instant next) {
        return update(checkId, "SET nextPollAt = :next, pollCount = :count, updatedAt = :now",
                "attribute_exists(pk) AND #status = :pending"
                        + " AND (attribute_not_exists(pollCount) OR pollCount = :expected)"
                        + " AND (attribute_not_exists(nextPollAt) OR nextPollAt <= :nb)",
                Map.of(":next", time(next), ":count", n(expectedPollCount + 1L), ":expected", n(expectedPollCount),
                        ":nb", time(notBefore), ":pending", s(PENDING)));
    }

    /**
     * Claims the completion of a check's Step Functions task. Exactly one caller wins; a claim whose holder died
     * (older than {@code staleBefore}) can be taken over.
     */
    public boolean claimTaskCompletion(String checkId, Instant staleBefore) {
        return update(checkId, "SET taskState = :c, taskClaimedAt = :now, updatedAt = :now",
                "taskState = :w OR (taskState = :c AND taskClaimedAt < :stale)",
                Map.of(":c", s(TaskState.COMPLETING.name()), ":w", s(TaskState.WAITING.name()), ":stale",
                        time(staleBefore)));
    }

    /** Moves the Step Functions task of a check from one state to another, once. */
    public boolean moveTask(String checkId, TaskState from, TaskState to, String detail) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":from", s(from.name()));
        values.put(":to", s(to.name()));
        String set = "SET taskState = :to, updatedAt = :now";
        if (detail != null) {
            set += ", taskOutcome = :d";
            values.put(":d", s(detail));
        }
        return update(checkId, set, "taskState = :from", values);
    }

    /**
     * Marks a check for erasure before anything is deleted at Jumio, so that an erasure that fails half-way is on
     * record and a repeat completes it, and so that no start resumes meanwhile. Refused while a start holds its lease:
     * a workflow being created now could not be deleted yet.
     */
    public boolean markForErasure(String checkId, String scope) {
        return update(checkId,
                "SET erasureScope = :scope, erasureRequestedAt = if_not_exists(erasureRequestedAt, :now), "
                        + "updatedAt = :now",
                "attribute_exists(pk) AND #status <> :erased"
                        + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)",
                Map.of(":scope", s(scope), ":erased", s(CheckStatus.ERASED.name()), ":nowMs",
                        n(System.currentTimeMillis())));
    }

    /**
     * Replaces the check with a tombstone that holds only its id and the erasure's record, and removes the items that
     * point at it. The tombstone expires by TTL after {@code checks.erasure-record-retention-days}.
     *
     * @return false when another erasure wrote the tombstone first
     */
    public boolean recordErased(CheckRecord check, String scope, String outcome) {
        Instant now = Instant.now();
        Map<String, AttributeValue> tombstone = new HashMap<>();
        tombstone.put("pk", s(checkKey(check.checkId())));
        tombstone.put("checkId", s(check.checkId()));
        tombstone.put("status", s(CheckStatus.ERASED.name()));
        tombstone.put("erasureScope", s(scope));
        tombstone.put("erasureOutcome", s(outcome));
        tombstone.put("erasureRequestedAt", time(check.erasure() == null || check.erasure().requestedAt() == null
                ? now
                : check.erasure().requestedAt()));
        tombstone.put("erasedAt", time(now));
        tombstone.put("updatedAt", time(now));
        tombstone.put("expiresAt", n(now.plus(config.erasureRecordRetention()).getEpochSecond()));
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(tombstone)
                .conditionExpression("attribute_exists(pk) AND #status <> :erased")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":erased", s(CheckStatus.ERASED.name()))).build()).build());
        for (String pointer : new String[]{check.idempotencyItem(),
                check.workflowExecutionId() == null ? null : "WX#" + check.workflowExecutionId()}) {
            if (pointer != null) {
                // Only while it still points at this check; a pointer already gone is fine.
                items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(config.table())
                        .key(Map.of("pk", s(pointer)))
                        .conditionExpression("attribute_not_exists(pk) OR checkId = :id")
                        .expressionAttributeValues(Map.of(":id", s(check.checkId()))).build()).build());
            }
        }
        try {
            transact(items.toArray(TransactWriteItem[]::new));
            return true;
        } catch (TransactionCanceledException e) {
            if (conditionFailed(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Conditional update of a check item; {@code :now} and {@code #status} are always available. */
    private boolean update(String checkId, String updateExpression, String condition,
            Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.putIfAbsent(":now", time(Instant.now()));
        UpdateItemRequest.Builder request = UpdateItemRequest.builder()
                .tableName(config.table())
                .key(Map.of("pk", s(checkKey(checkId))))
                .updateExpression(updateExpression)
                .conditionExpression(condition)
                .expressionAttributeValues(all);
        if (updateExpression.contains("#status") || condition.contains("#status")) {
            request.expressionAttributeNames(Map.of("#status", "status"));
        }
        UpdateItemRequest built = request.build();
        for (int attempt = 1;; attempt++) {
            try {
                dynamo.updateItem(built);
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            } catch (TransactionConflictException e) {
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
            pauseAfterConflict(attempt);
        }
    }

    /**
     * DynamoDB cancels a transaction that meets a write in flight on one of its items, and refuses a plain write to an
     * item inside a transaction in flight; the SDK retries neither. The other write finishes within milliseconds, so a
     * few short retries let the conditions decide instead. Retrying is safe: each attempt is decided by its conditions,
     * and the SDK gives each attempt its own client request token.
     */
    private void transact(TransactWriteItem... items) {
        for (int attempt = 1;; attempt++) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                if (conditionFailed(e) || !conflicted(e) || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
            pauseAfterConflict(attempt);
        }
    }

    private static void pauseAfterConflict(int attempt) {
        long base = 20L << (attempt - 1);
        try {
            Thread.sleep(base + java.util.concurrent.ThreadLocalRandom.current().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a DynamoDB write", e);
        }
    }

    private static boolean conflicted(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    private Optional<Map<String, AttributeValue>> getItem(String pk) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(config.table())
                .key(Map.of("pk", s(pk))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static boolean conditionFailed(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : new ArrayList<>();
        return reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))
                || (reasons.isEmpty() && String.valueOf(e.getMessage()).contains("ConditionalCheckFailed"));
    }

    static String checkKey(String checkId) {
        return "CHECK#" + checkId;
    }

    static CheckRecord read(Map<String, AttributeValue> item) {
        String step = str(item, "step");
        Long pollCount = num(item, "pollCount");
        return new CheckRecord(
                str(item, "checkId"),
                CheckStatus.valueOf(str(item, "status")),
                step == null ? Step.RECORDED : Step.valueOf(step),
                str(item, "requestHash"),
                str(item, "workflowKey"),
                str(item, "accountId"),
                str(item, "workflowExecutionId"),
                str(item, "preparedDataUrl"),
                str(item, "workflowExecutionUrl"),
                str(item, "sealedToken"),
                str(item, "leaseOwner"),
                num(item, "leaseUntil"),
                instant(item, "createdAt"),
                instant(item, "updatedAt"),
                instant(item, "finalizedAt"),
                instant(item, "completedAt"),
                str(item, "failureReason"),
                str(item, "callbackStatus"),
                instant(item, "callbackReceivedAt"),
                flag(item, "detailsPending"),
                DecisionCodec.decode(item.get("decision")),
                str(item, "taskToken"),
                str(item, "taskState"),
                instant(item, "nextPollAt"),
                pollCount == null ? 0 : pollCount.intValue(),
                str(item, "idempotencyItem"),
                str(item, "erasureScope") == null
                        ? null
                        : new CheckRecord.Erasure(str(item, "erasureScope"), instant(item, "erasureRequestedAt"),
                                instant(item, "erasedAt"), str(item, "erasureOutcome")));
    }

    /** A starter tried to move a check it no longer owns: another invocation took over after its lease ran out. */
    public static final class LeaseLost extends RuntimeException {
        public LeaseLost(String checkId) {
            super("Lost the lease on check " + checkId, null, false, false);
        }
    }
}
