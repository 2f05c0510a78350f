package io.jumiorisk.store;

import static io.jumiorisk.store.Attr.bool;
import static io.jumiorisk.store.Attr.n;
import static io.jumiorisk.store.Attr.s;
import static io.jumiorisk.store.Attr.str;
import static io.jumiorisk.store.Attr.time;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.Decision;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.check.model.FailureReason;
import io.jumiorisk.check.model.Step;
import io.jumiorisk.check.model.TaskState;
import io.jumiorisk.errors.StoreUnavailable;
import io.jumiorisk.ops.Metrics;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The checks table. One partition key, {@code pk}, and these kinds of item:
 * <ul>
 * <li>{@code CHECK#<checkId>}: the check itself (after an erasure, its tombstone);</li>
 * <li>{@code IDEM#<keyed hash of the idempotency key>}: which check a key started, and the keyed hash of its body;</li>
 * <li>{@code WX#<workflowExecutionId>}: which check a Jumio workflow belongs to, for callbacks;</li>
 * <li>{@code ORPHAN#<workflowExecutionId>}: a workflow an ambiguous account request left at Jumio, found, claimed for
 * deletion, then deleted ({@link OrphanStore});</li>
 * <li>{@code SWEEP#erasures}, {@code SWEEP#orphans}: what the erase function's sweep still has to finish.</li>
 * </ul>
 * Every write that moves a check forward is conditional, so that retries, duplicates and races change state once.
 * Writes answer with the check as they left it, or as they found it when their condition failed, so nobody reads
 * back what was just written. DynamoDB's transient failures leave this class as {@link StoreUnavailable}.
 */
@ApplicationScoped
public class CheckStore {
    private static final String PENDING = CheckStatus.PENDING.name();
    /** The checks whose erasure is asked for and not yet confirmed by Jumio: what the erase sweep retries. */
    static final String PENDING_ERASURES = "SWEEP#erasures";

    private final Table table;
    private final StoreConfig config;
    private final Metrics metrics;

    CheckStore(Table table, StoreConfig config, Metrics metrics) {
        this.table = table;
        this.config = config;
        this.metrics = metrics;
    }

    /** A new check, or the one that the idempotency key already started. */
    public record Claim(Check check, boolean created, String existingRequestHash) {
    }

    /**
     * What a conditional write did: whether its condition held, and the check as the write left it, or as the write
     * found it when the condition failed (null when there is no such check).
     */
    public record Transition(boolean applied, Check check) {
    }

    /**
     * Records a check before anything is sent to Jumio, together with its idempotency item, in one transaction. The
     * creator holds the lease on the new check.
     */
    public Claim createOrFind(String checkId, String keyHash, String requestHash, String referenceHash,
            String workflowKey, String sealedTaskToken, Check.Lease lease) {
        Instant now = Instant.now();
        long expiresAt = now.plus(config.retention()).getEpochSecond();
        Map<String, AttributeValue> check = new HashMap<>();
        check.put("pk", s(checkKey(checkId)));
        check.put("checkId", s(checkId));
        check.put("status", s(PENDING));
        check.put("step", s(Step.RECORDED.name()));
        check.put("requestHash", s(requestHash));
        check.put("workflowKey", s(workflowKey));
        // The keyed hash of customerInternalReference, which a workflow left at Jumio by an ambiguous account request
        // carries: the evidence that it is this check's (the same hash the idempotency item uses by default).
        check.put("referenceHash", s(referenceHash));
        check.put("leaseOwner", s(lease.owner()));
        check.put("leaseUntil", n(lease.untilMillis()));
        check.put("createdAt", time(now));
        check.put("updatedAt", time(now));
        check.put("expiresAt", n(expiresAt));
        // So that an erasure can remove the idempotency item too: it is a keyed hash of the caller's reference.
        check.put("idempotencyItem", s("IDEM#" + keyHash));
        if (sealedTaskToken != null) {
            check.put("sealedTaskToken", s(sealedTaskToken));
            check.put("taskState", s(TaskState.WAITING.name()));
        }
        Map<String, AttributeValue> idem = Map.of(
                "pk", s("IDEM#" + keyHash),
                "checkId", s(checkId),
                "requestHash", s(requestHash),
                "expiresAt", n(expiresAt));
        List<CancellationReason> refused = table.transact(
                TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(idem)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build())
                        .build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(check)
                        .conditionExpression("attribute_not_exists(pk)").build()).build());
        if (refused == null) {
            return new Claim(CheckCodec.decode(check), true, requestHash);
        }
        Map<String, AttributeValue> existing = refused.isEmpty() || !Table.conditionFailed(refused.get(0))
                ? Map.of()
                : refused.get(0).item();
        if (existing == null || existing.isEmpty()) {
            // Only the check's condition failed: its id is taken, which a random UUID never is and a state machine's
            // States.UUID() should not be either.
            throw new IllegalStateException("A new check's id is taken");
        }
        // Both items were written by one transaction and expire together; only TTL's lag can part them.
        Check found = get(str(existing, "checkId"))
                .orElseThrow(() -> new IllegalStateException("Idempotency item points at a check that has expired"));
        return new Claim(found, false, str(existing, "requestHash"));
    }

    public Optional<Check> get(String checkId) {
        return table.get(checkKey(checkId)).map(CheckCodec::decode);
    }

    public Optional<String> checkIdForWorkflow(String workflowExecutionId) {
        return table.get("WX#" + workflowExecutionId).map(item -> str(item, "checkId"));
    }

    /**
     * Takes over the start of a check whose previous starter gave up or died (its lease ran out with its Lambda). A
     * start that was finalized or ended meanwhile is never taken over: a late duplicate has nothing left to do.
     */
    public Transition acquireLease(String checkId, Check.Lease lease) {
        return update(checkId, "SET leaseOwner = :o, leaseUntil = :u, updatedAt = :now",
                "attribute_exists(pk) AND #status = :pending AND step <> :finalized"
                        + " AND attribute_not_exists(erasureScope)"
                        + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)",
                Map.of(":o", s(lease.owner()), ":u", n(lease.untilMillis()), ":nowMs", n(System.currentTimeMillis()),
                        ":pending", s(PENDING), ":finalized", s(Step.FINALIZED.name())));
    }

    public void releaseLease(String checkId, String leaseOwner) {
        update(checkId, "REMOVE leaseOwner, leaseUntil SET updatedAt = :now", "leaseOwner = :o",
                Map.of(":o", s(leaseOwner)));
    }

    /**
     * Adds or replaces the Step Functions task token of a check that has not completed its task yet. The token is
     * stored sealed: with it, anyone who reads the table could complete the task with a forged result.
     */
    public Transition attachTaskToken(String checkId, String sealedTaskToken) {
        return update(checkId, "SET sealedTaskToken = :t, taskState = :w, updatedAt = :now",
                "attribute_exists(pk) AND (attribute_not_exists(taskState) OR taskState = :w)",
                Map.of(":t", s(sealedTaskToken), ":w", s(TaskState.WAITING.name())));
    }

    /**
     * Records the workflow that Jumio started, and the pointer that lets its callback find the check. Fenced by the
     * lease and the step, so that a starter that lost its lease cannot write over a successor.
     */
    public void recordWorkflowStarted(String checkId, String leaseOwner, Check.Workflow workflow,
            Check.Resume resume) {
        Instant now = Instant.now();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":o", s(leaseOwner));
        values.put(":from", s(Step.RECORDED.name()));
        values.put(":to", s(Step.WORKFLOW_STARTED.name()));
        values.put(":a", s(workflow.accountId()));
        values.put(":w", s(workflow.workflowExecutionId()));
        values.put(":up", s(resume.preparedDataUrl()));
        values.put(":fin", s(resume.finalizeUrl()));
        values.put(":tok", s(resume.sealedWorkflowToken()));
        values.put(":now", time(now));
        Map<String, AttributeValue> pointer = Map.of(
                "pk", s("WX#" + workflow.workflowExecutionId()),
                "checkId", s(checkId),
                "expiresAt", n(now.plus(config.retention()).getEpochSecond()));
        List<CancellationReason> refused = table.transact(
                TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Map.of("pk", s(checkKey(checkId))))
                        .updateExpression("SET step = :to, accountId = :a, workflowExecutionId = :w, "
                                + "preparedDataUrl = :up, workflowExecutionUrl = :fin, sealedToken = :tok, "
                                + "updatedAt = :now")
                        .conditionExpression("leaseOwner = :o AND step = :from")
                        .expressionAttributeValues(values).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(pointer)
                        .conditionExpression("attribute_not_exists(pk)").build()).build());
        if (refused != null) {
            throw new LeaseLost(checkId);
        }
    }

    public void recordUploaded(String checkId, String leaseOwner) {
        if (!update(checkId, "SET step = :to, updatedAt = :now", "leaseOwner = :o AND step = :from",
                Map.of(":o", s(leaseOwner), ":from", s(Step.WORKFLOW_STARTED.name()),
                        ":to", s(Step.DATA_UPLOADED.name())))
                .applied()) {
            throw new LeaseLost(checkId);
        }
    }

    /**
     * The start is complete: the workflow token and its URLs are dropped, the lease released. Status fields are left
     * alone, because Jumio's callback may already have been recorded. Comes from {@code WORKFLOW_STARTED} (the upload
     * is recorded on its own only when finalize failed after it) or from {@code DATA_UPLOADED}.
     *
     * @return the finalized check
     */
    public Check recordFinalized(String checkId, String leaseOwner) {
        Transition t = update(checkId, "SET step = :to, finalizedAt = :now, updatedAt = :now "
                + "REMOVE sealedToken, preparedDataUrl, workflowExecutionUrl, leaseOwner, leaseUntil",
                "leaseOwner = :o AND (step = :started OR step = :uploaded)",
                Map.of(":o", s(leaseOwner), ":started", s(Step.WORKFLOW_STARTED.name()),
                        ":uploaded", s(Step.DATA_UPLOADED.name()), ":to", s(Step.FINALIZED.name())));
        if (!t.applied()) {
            throw new LeaseLost(checkId);
        }
        return t.check();
    }

    /** Jumio refused the start for good. */
    public void recordStartFailed(String checkId, String leaseOwner, FailureReason reason) {
        update(checkId, "SET #status = :failed, failureReason = :r, completedAt = :now, updatedAt = :now "
                + "REMOVE sealedToken, leaseOwner, leaseUntil",
                "leaseOwner = :o AND #status = :pending",
                Map.of(":o", s(leaseOwner), ":failed", s(CheckStatus.FAILED.name()), ":r", s(reason.code()),
                        ":pending", s(PENDING)));
    }

    /**
     * Records Jumio's callback status once. Every status a callback can carry is terminal, so the first one to arrive
     * wins and duplicates or late ones change nothing. PROCESSED marks the details as still to be fetched; the
     * expiry statuses complete the check at once.
     */
    public Transition recordCallback(String checkId, String callbackStatus) {
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
        return update(checkId, set + " REMOVE confirmPending", FIRST_CALLBACK, values);
    }

    /** A pending check that has recorded no callback yet: the first callback wins. */
    private static final String FIRST_CALLBACK = "attribute_exists(pk) AND attribute_not_exists(callbackStatus)"
            + " AND #status = :pending";

    /**
     * A {@code PROCESSED} callback whose decision has already been fetched: records the callback and the decision in
     * one write, under the same condition as {@link #recordCallback}, so the first callback still wins and a duplicate
     * or a check that ended meanwhile changes nothing. Saves the second write of record-then-decide.
     */
    public Transition recordCallbackWithDecision(String checkId, Decision decision) {
        Map<String, AttributeValue> values = decided(decision);
        values.put(":cs", s(CheckStatus.PROCESSED.name()));
        return update(checkId, "SET callbackStatus = :cs, callbackReceivedAt = :now, #status = :cs, decision = :d, "
                + "detailsPending = :f, completedAt = :now, updatedAt = :now REMOVE confirmPending", FIRST_CALLBACK,
                values);
    }

    /** Stores the decision summary and completes the check, once: whoever gets there first wins. */
    public Transition recordDecision(String checkId, Decision decision) {
        Map<String, AttributeValue> values = decided(decision);
        values.put(":done", s(CheckStatus.PROCESSED.name()));
        return update(checkId, "SET #status = :done, decision = :d, detailsPending = :f, completedAt = :now, "
                + "updatedAt = :now REMOVE confirmPending", "attribute_exists(pk) AND #status = :pending", values);
    }

    private static Map<String, AttributeValue> decided(Decision decision) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", s(PENDING));
        values.put(":f", bool(false));
        values.put(":d", DecisionCodec.encode(decision));
        return values;
    }

    /** Completes a check whose workflow Jumio reports as expired, when no callback said so. */
    public Transition recordExpired(String checkId, CheckStatus expired) {
        return update(checkId, "SET #status = :e, completedAt = :now, updatedAt = :now, detailsPending = :f "
                + "REMOVE confirmPending",
                "attribute_exists(pk) AND #status = :pending",
                Map.of(":e", s(expired.name()), ":pending", s(PENDING), ":f", bool(false)));
    }

    /**
     * A callback came whose status only Jumio's status API can confirm, and that API could not be asked now: the next
     * read asks it at once. Nothing final is recorded, so a later callback, or the confirmation, decides.
     */
    public Transition markConfirmPending(String checkId) {
        return update(checkId, "SET confirmPending = :t, updatedAt = :now",
                "attribute_exists(pk) AND #status = :pending AND attribute_not_exists(callbackStatus)",
                Map.of(":t", bool(true), ":pending", s(PENDING)));
    }

    /**
     * Claims the right to ask Jumio about a pending check now, and books the next time anyone may. Only one caller
     * wins a slot, so concurrent GETs cannot stampede Jumio and the polling schedule holds across containers.
     */
    public Transition claimPoll(String checkId, Instant notBefore, int expectedPollCount, Instant next) {
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
                Map.of(":c", s(TaskState.COMPLETING.name()), ":w", s(TaskState.WAITING.name()),
                        ":stale", time(staleBefore)))
                .applied();
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
        return update(checkId, set, "taskState = :from", values).applied();
    }

    /**
     * Records an account request that Jumio answered ambiguously, before anything else happens, fenced by the lease
     * like every step of a start. The workflow such a request may have left at Jumio reveals itself by its expiry
     * callback, whose URL names this check.
     */
    public void recordStartAttempt(String checkId, String leaseOwner, Check.StartAttempt attempt) {
        if (!update(checkId, "SET startAttempts = list_append(if_not_exists(startAttempts, :none), :a), "
                + "updatedAt = :now", "leaseOwner = :o AND step = :recorded",
                Map.of(":o", s(leaseOwner), ":recorded", s(Step.RECORDED.name()),
                        ":a", AttributeValue.fromL(List.of(CheckCodec.encode(attempt))),
                        ":none", AttributeValue.fromL(List.of())))
                .applied()) {
            throw new LeaseLost(checkId);
        }
    }

    /**
     * Marks a check for erasure before anything is deleted at Jumio, so that an erasure that fails half-way is on
     * record and a repeat completes it, and so that no start resumes meanwhile. Refused while a start holds its lease:
     * a workflow being created now could not be deleted yet. The check first joins the erase sweep's list (a mark
     * that then fails leaves the sweep an id to drop), and its item is kept as long as a tombstone would be, so that
     * a deletion Jumio has not confirmed is not forgotten when the check's own retention ends.
     */
    public Transition markForErasure(String checkId, ErasureScope scope) {
        table.update(UpdateItemRequest.builder().key(Map.of("pk", s(PENDING_ERASURES)))
                .updateExpression("ADD checkIds :id").expressionAttributeValues(Map.of(":id",
                        AttributeValue.fromSs(List.of(checkId)))));
        return update(checkId,
                "SET erasureScope = :scope, erasureRequestedAt = if_not_exists(erasureRequestedAt, :now), "
                        + "expiresAt = :keep, updatedAt = :now",
                "attribute_exists(pk) AND #status <> :erased"
                        + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)",
                Map.of(":scope", s(scope.wire()), ":erased", s(CheckStatus.ERASED.name()), ":nowMs",
                        n(System.currentTimeMillis()),
                        ":keep", n(Instant.now().plus(config.erasureRecordRetention()).getEpochSecond())));
    }

    /** The checks whose erasure the sweep is to finish. */
    public Set<String> pendingErasures() {
        return table.get(PENDING_ERASURES).map(item -> item.get("checkIds")).filter(AttributeValue::hasSs)
                .map(v -> Set.copyOf(v.ss())).orElse(Set.of());
    }

    /** A check the sweep found erased or gone: it leaves the list. */
    public void dropPendingErasure(String checkId) {
        table.update(UpdateItemRequest.builder().key(Map.of("pk", s(PENDING_ERASURES)))
                .updateExpression("DELETE checkIds :id").expressionAttributeValues(Map.of(":id",
                        AttributeValue.fromSs(List.of(checkId)))));
    }

    /**
     * Replaces the check with a tombstone that holds only its id and the erasure's record, and takes it off the erase
     * sweep's list. The tombstone expires by TTL after {@code checks.erasure-record-retention-days}; so does the
     * idempotency item, which from now on leads to the tombstone: while the tombstone lives, no replay of the request
     * starts the erased check anew. The WX# pointer stays until it expires: a late callback for the erased workflow
     * then finds the tombstone and changes nothing, without asking Jumio about a workflow whose subject asked to be
     * forgotten.
     *
     * @return the tombstone; not applied when another erasure wrote one first (then the check as it was found)
     */
    public Transition recordErased(Check check, ErasureScope scope, ErasureOutcome outcome) {
        Instant now = Instant.now();
        long expiresAt = now.plus(config.erasureRecordRetention()).getEpochSecond();
        Map<String, AttributeValue> tombstone = new HashMap<>();
        tombstone.put("pk", s(checkKey(check.checkId())));
        tombstone.put("checkId", s(check.checkId()));
        tombstone.put("status", s(CheckStatus.ERASED.name()));
        tombstone.put("erasureScope", s(scope.wire()));
        tombstone.put("erasureOutcome", s(outcome.name()));
        tombstone.put("erasureRequestedAt", time(check.erasure() == null || check.erasure().requestedAt() == null
                ? now
                : check.erasure().requestedAt()));
        tombstone.put("erasedAt", time(now));
        tombstone.put("updatedAt", time(now));
        tombstone.put("expiresAt", n(expiresAt));
        if (!check.attempts().isEmpty()) {
            // An ambiguous attempt may still have a workflow at Jumio: its expiry callback names this check, is matched
            // by the reference's keyed hash, and its deletion is counted here.
            tombstone.put("startAttempts",
                    AttributeValue.fromL(check.attempts().stream().map(CheckCodec::encode).toList()));
            tombstone.put("orphansDeleted", n(check.orphansDeleted()));
            if (check.referenceHash() != null) {
                tombstone.put("referenceHash", s(check.referenceHash()));
            }
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(tombstone)
                .conditionExpression("attribute_exists(pk) AND #status <> :erased")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":erased", s(CheckStatus.ERASED.name()))).build()).build());
        items.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Map.of("pk", s(PENDING_ERASURES))).updateExpression("DELETE checkIds :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(check.checkId())))).build())
                .build());
        if (check.idempotencyItem() != null) {
            // Only while it still leads to this check; one that expired meanwhile is left out below.
            items.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                    .key(Map.of("pk", s(check.idempotencyItem())))
                    // The body's hash is of no use once the answer to any replay is 410.
                    .updateExpression("SET expiresAt = :exp REMOVE requestHash")
                    .conditionExpression("checkId = :id")
                    .expressionAttributeValues(Map.of(":id", s(check.checkId()), ":exp", n(expiresAt))).build())
                    .build());
        }
        List<CancellationReason> refused = table.transact(items.toArray(TransactWriteItem[]::new));
        if (refused != null && refused.size() == 3 && Table.conditionFailed(refused.get(2))
                && !Table.conditionFailed(refused.get(0))) {
            // The idempotency item is gone (expired, or taken by another check after it did): nothing to keep.
            refused = table.transact(items.get(0), items.get(1));
        }
        if (refused == null) {
            return new Transition(true, CheckCodec.decode(tombstone));
        }
        Map<String, AttributeValue> found = refused.isEmpty() || !Table.conditionFailed(refused.get(0))
                ? null
                : refused.get(0).item();
        return new Transition(false, found == null || found.isEmpty() ? null : CheckCodec.decode(found));
    }

    /**
     * Conditional update of a check item; {@code :now} and {@code #status} are always available. Answers with the
     * item as the update left it, or as it was when the condition failed.
     */
    private Transition update(String checkId, String updateExpression, String condition,
            Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.putIfAbsent(":now", time(Instant.now()));
        UpdateItemRequest.Builder request = UpdateItemRequest.builder()
                .key(Map.of("pk", s(checkKey(checkId))))
                .updateExpression(updateExpression)
                .conditionExpression(condition)
                .expressionAttributeValues(all);
        if (updateExpression.contains("#status") || condition.contains("#status")) {
            request.expressionAttributeNames(Map.of("#status", "status"));
        }
        Table.Updated updated = table.update(request);
        Transition transition = new Transition(updated.applied(),
                updated.item() == null || updated.item().isEmpty() ? null : CheckCodec.decode(updated.item()));
        if (transition.applied() && updateExpression.contains("#status =") && transition.check() != null
                && transition.check().status().terminal()) {
            // Every write that ends a check is conditional on its being pending: this counts each check's end once.
            metrics.checkEnded(transition.check().status().name());
        }
        return transition;
    }

    static String checkKey(String checkId) {
        return "CHECK#" + checkId;
    }

    /** A starter tried to move a check it no longer owns: another invocation took over after its lease ran out. */
    public static final class LeaseLost extends RuntimeException {
        public LeaseLost(String checkId) {
            super("Lost the lease on check " + checkId, null, false, false);
        }
    }
}
