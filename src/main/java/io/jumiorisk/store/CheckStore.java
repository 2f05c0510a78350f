package io.jumiorisk.store;

import static io.jumiorisk.store.Attr.bool;
import static io.jumiorisk.store.Attr.n;
import static io.jumiorisk.store.Attr.s;
import static io.jumiorisk.store.Attr.str;
import static io.jumiorisk.store.Attr.time;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.Decision;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.check.model.FailureReason;
import io.jumiorisk.check.model.Step;
import io.jumiorisk.check.model.TaskState;
import io.jumiorisk.errors.StoreUnavailable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
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
 * <li>{@code WX#<workflowExecutionId>}: which check a Jumio workflow belongs to, for callbacks;</li>
 * <li>{@code REF#<keyed hash of a customerInternalReference>}: the checks that made an ambiguous account request under
 * it, so that a workflow such a request left at Jumio can be traced back;</li>
 * <li>{@code ORPHAN#<workflowExecutionId>}: the deletion of such a workflow, claimed, then done.</li>
 * </ul>
 * Every write that moves a check forward is conditional, so that retries, duplicates and races change state once.
 * Writes answer with the check as they left it, or as they found it when their condition failed, so nobody reads
 * back what was just written. DynamoDB's transient failures leave this class as {@link StoreUnavailable}.
 */
@ApplicationScoped
public class CheckStore {
    private static final Logger LOG = Logger.getLogger(CheckStore.class);
    private static final String PENDING = CheckStatus.PENDING.name();
    private static final String REFERENCE = "REF#";
    private static final String ORPHAN = "ORPHAN#";
    private static final String ORPHAN_DELETING = "DELETING";
    private static final String ORPHAN_RELEASED = "RELEASED";
    /** Attempts of a write that DynamoDB refuses for a concurrent write to the same item: about 0.6 s at most. */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final StoreConfig config;

    public CheckStore(DynamoDbClient dynamo, StoreConfig config) {
        this.dynamo = dynamo;
        this.config = config;
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
    public Claim createOrFind(String checkId, String keyHash, String requestHash, String workflowKey,
            String taskToken, Check.Lease lease) {
        Instant now = Instant.now();
        long expiresAt = now.plus(config.retention()).getEpochSecond();
        Map<String, AttributeValue> check = new HashMap<>();
        check.put("pk", s(checkKey(checkId)));
        check.put("checkId", s(checkId));
        check.put("status", s(PENDING));
        check.put("step", s(Step.RECORDED.name()));
        check.put("requestHash", s(requestHash));
        check.put("workflowKey", s(workflowKey));
        check.put("leaseOwner", s(lease.owner()));
        check.put("leaseUntil", n(lease.untilMillis()));
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
        Map<String, AttributeValue> existing = transact(
                TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(idem)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build())
                        .build(),
                TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(check)
                        .conditionExpression("attribute_not_exists(pk)").build()).build());
        if (existing == null) {
            return new Claim(CheckCodec.decode(check), true, requestHash);
        }
        if (existing.isEmpty()) {
            // Only the check's condition failed: a check id drawn twice, which a random UUID never is.
            throw new IllegalStateException("A new check's id is taken");
        }
        // Both items were written by one transaction and expire together; only TTL's lag can part them.
        Check found = get(str(existing, "checkId"))
                .orElseThrow(() -> new IllegalStateException("Idempotency item points at a check that has expired"));
        return new Claim(found, false, str(existing, "requestHash"));
    }

    public Optional<Check> get(String checkId) {
        return getItem(checkKey(checkId)).map(CheckCodec::decode);
    }

    public Optional<String> checkIdForWorkflow(String workflowExecutionId) {
        return getItem("WX#" + workflowExecutionId).map(item -> str(item, "checkId"));
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

    /** Adds or replaces the Step Functions task token of a check that has not completed its task yet. */
    public Transition attachTaskToken(String checkId, String taskToken) {
        return update(checkId, "SET taskToken = :t, taskState = :w, updatedAt = :now",
                "attribute_exists(pk) AND (attribute_not_exists(taskState) OR taskState = :w)",
                Map.of(":t", s(taskToken), ":w", s(TaskState.WAITING.name())));
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
        Map<String, AttributeValue> refused = transact(
                TransactWriteItem.builder().update(Update.builder().tableName(config.table())
                        .key(Map.of("pk", s(checkKey(checkId))))
                        .updateExpression("SET step = :to, accountId = :a, workflowExecutionId = :w, "
                                + "preparedDataUrl = :up, workflowExecutionUrl = :fin, sealedToken = :tok, "
                                + "updatedAt = :now")
                        .conditionExpression("leaseOwner = :o AND step = :from")
                        .expressionAttributeValues(values).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(pointer)
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
     * like every step of a start. The same transaction adds the check to the {@code REF#} item of its
     * {@code customerInternalReference}'s keyed hash, through which a workflow that the attempt left at Jumio, and
     * that only reveals itself by its expiry callback, is traced back to the check.
     */
    public void recordStartAttempt(String checkId, String leaseOwner, Check.StartAttempt attempt,
            String referenceHash) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":o", s(leaseOwner));
        values.put(":recorded", s(Step.RECORDED.name()));
        values.put(":a", AttributeValue.fromL(List.of(CheckCodec.encode(attempt))));
        values.put(":none", AttributeValue.fromL(List.of()));
        values.put(":now", time(Instant.now()));
        Map<String, AttributeValue> refused = transact(
                TransactWriteItem.builder().update(Update.builder().tableName(config.table())
                        .key(Map.of("pk", s(checkKey(checkId))))
                        .updateExpression("SET startAttempts = list_append(if_not_exists(startAttempts, :none), :a), "
                                + "updatedAt = :now")
                        .conditionExpression("leaseOwner = :o AND step = :recorded")
                        .expressionAttributeValues(values).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(config.table())
                        .key(Map.of("pk", s(REFERENCE + referenceHash)))
                        .updateExpression("ADD checkIds :id SET expiresAt = :exp")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(checkId)),
                                ":exp", n(Instant.now().plus(config.retention()).getEpochSecond())))
                        .build()).build());
        if (refused != null) {
            throw new LeaseLost(checkId);
        }
    }

    /**
     * The checks whose caller's reference has this keyed hash: those that recorded an ambiguous attempt under it, and
     * the one whose idempotency key is the reference itself (the default), in case an attempt could not be recorded.
     */
    public List<String> checkIdsForReference(String referenceHash) {
        Set<String> ids = new LinkedHashSet<>();
        getItem(REFERENCE + referenceHash).map(item -> item.get("checkIds"))
                .filter(AttributeValue::hasSs).ifPresent(v -> ids.addAll(v.ss()));
        getItem("IDEM#" + referenceHash).map(item -> str(item, "checkId")).ifPresent(ids::add);
        return List.copyOf(ids);
    }

    /**
     * Claims the deletion of a workflow that an ambiguous attempt left at Jumio, so that however often Jumio delivers
     * its callback, one invocation deletes it. A claim that was released, or whose holder died (older than
     * {@code staleBefore}), can be taken over; one that finished cannot. (An update, not a put: the callback's role
     * needs no grant beyond what it has.)
     */
    public boolean claimOrphan(String workflowExecutionId, String accountId, String checkId, Instant staleBefore) {
        Instant now = Instant.now();
        return call(() -> {
            try {
                dynamo.updateItem(u -> u.tableName(config.table()).key(Map.of("pk", s(ORPHAN + workflowExecutionId)))
                        .updateExpression("SET checkId = :c, accountId = :a, #state = :deleting, claimedAt = :now, "
                                + "expiresAt = :exp")
                        .conditionExpression("attribute_not_exists(pk) OR #state = :released"
                                + " OR (#state = :deleting AND claimedAt < :stale)")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":c", s(checkId), ":a", s(accountId),
                                ":deleting", s(ORPHAN_DELETING), ":released", s(ORPHAN_RELEASED), ":now", time(now),
                                ":stale", time(staleBefore),
                                ":exp", n(now.plus(config.retention()).getEpochSecond()))));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    /** Jumio could not be asked to delete it now: the next delivery of its callback claims it again. */
    public void releaseOrphan(String workflowExecutionId) {
        try {
            call(() -> dynamo.updateItem(u -> u.tableName(config.table())
                    .key(Map.of("pk", s(ORPHAN + workflowExecutionId)))
                    .updateExpression("SET #state = :released").conditionExpression("#state = :deleting")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":deleting", s(ORPHAN_DELETING), ":released",
                            s(ORPHAN_RELEASED)))));
        } catch (ConditionalCheckFailedException e) {
            // Finished or taken over meanwhile: nothing to hand back.
        }
    }

    /**
     * The orphan is gone at Jumio: its claim becomes the record of that, and the check (or its tombstone) counts it,
     * which resolves one of its ambiguous attempts.
     */
    public void recordOrphanDeleted(String workflowExecutionId, String checkId, ErasureOutcome outcome) {
        Update orphan = Update.builder().tableName(config.table()).key(Map.of("pk", s(ORPHAN + workflowExecutionId)))
                .updateExpression("SET #state = :outcome, deletedAt = :now")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":outcome", s(outcome.name()), ":now", time(Instant.now())))
                .build();
        Map<String, AttributeValue> refused = transact(
                TransactWriteItem.builder().update(orphan).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(config.table())
                        .key(Map.of("pk", s(checkKey(checkId))))
                        .updateExpression("ADD orphansDeleted :one SET updatedAt = :now")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(Map.of(":one", n(1), ":now", time(Instant.now()))).build())
                        .build());
        if (refused != null) {
            // The check has expired from the table meanwhile; the orphan's own record is what is left to write.
            call(() -> dynamo.updateItem(UpdateItemRequest.builder().tableName(orphan.tableName()).key(orphan.key())
                    .updateExpression(orphan.updateExpression())
                    .expressionAttributeNames(orphan.expressionAttributeNames())
                    .expressionAttributeValues(orphan.expressionAttributeValues()).build()));
        }
    }

    /**
     * Marks a check for erasure before anything is deleted at Jumio, so that an erasure that fails half-way is on
     * record and a repeat completes it, and so that no start resumes meanwhile. Refused while a start holds its lease:
     * a workflow being created now could not be deleted yet.
     */
    public Transition markForErasure(String checkId, ErasureScope scope) {
        return update(checkId,
                "SET erasureScope = :scope, erasureRequestedAt = if_not_exists(erasureRequestedAt, :now), "
                        + "updatedAt = :now",
                "attribute_exists(pk) AND #status <> :erased"
                        + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)",
                Map.of(":scope", s(scope.wire()), ":erased", s(CheckStatus.ERASED.name()), ":nowMs",
                        n(System.currentTimeMillis())));
    }

    /**
     * Replaces the check with a tombstone that holds only its id and the erasure's record, and removes the items that
     * point at it. The tombstone expires by TTL after {@code checks.erasure-record-retention-days}.
     *
     * @return the tombstone; not applied when another erasure wrote one first (then the check as it was found)
     */
    public Transition recordErased(Check check, ErasureScope scope, ErasureOutcome outcome) {
        Instant now = Instant.now();
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
        tombstone.put("expiresAt", n(now.plus(config.erasureRecordRetention()).getEpochSecond()));
        // An ambiguous attempt may still have a workflow at Jumio: its expiry callback finds the tombstone through the
        // REF# item (which stays), and its deletion is counted here.
        if (!check.attempts().isEmpty()) {
            tombstone.put("startAttempts",
                    AttributeValue.fromL(check.attempts().stream().map(CheckCodec::encode).toList()));
            tombstone.put("orphansDeleted", n(check.orphansDeleted()));
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(config.table()).item(tombstone)
                .conditionExpression("attribute_exists(pk) AND #status <> :erased")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":erased", s(CheckStatus.ERASED.name()))).build()).build());
        // The WX# pointer stays until it expires: a late callback for the erased workflow then finds the tombstone and
        // changes nothing, without asking Jumio about a workflow whose subject asked to be forgotten.
        if (check.idempotencyItem() != null) {
            // Only while it still points at this check; a pointer already gone is fine.
            items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(config.table())
                    .key(Map.of("pk", s(check.idempotencyItem())))
                    .conditionExpression("attribute_not_exists(pk) OR checkId = :id")
                    .expressionAttributeValues(Map.of(":id", s(check.checkId()))).build()).build());
        }
        Map<String, AttributeValue> found = transact(items.toArray(TransactWriteItem[]::new));
        if (found == null) {
            return new Transition(true, CheckCodec.decode(tombstone));
        }
        return new Transition(false, found.isEmpty() ? null : CheckCodec.decode(found));
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
                .tableName(config.table())
                .key(Map.of("pk", s(checkKey(checkId))))
                .updateExpression(updateExpression)
                .conditionExpression(condition)
                .expressionAttributeValues(all)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (updateExpression.contains("#status") || condition.contains("#status")) {
            request.expressionAttributeNames(Map.of("#status", "status"));
        }
        UpdateItemRequest built = request.build();
        for (int attempt = 1;; attempt++) {
            try {
                return new Transition(true, CheckCodec.decode(call(() -> dynamo.updateItem(built)).attributes()));
            } catch (ConditionalCheckFailedException e) {
                return new Transition(false, e.hasItem() && !e.item().isEmpty() ? CheckCodec.decode(e.item()) : null);
            } catch (TransactionConflictException e) {
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw unavailable(e);
                }
            }
            pauseAfterConflict(attempt);
        }
    }

    /**
     * Runs a transaction. DynamoDB cancels a transaction that meets a write in flight on one of its items, and refuses
     * a plain write to an item inside a transaction in flight; the SDK retries neither. The other write finishes
     * within milliseconds, so a few short retries let the conditions decide instead. Retrying is safe: each attempt is
     * decided by its conditions, and the SDK gives each attempt its own client request token.
     *
     * @return null when it committed; when a condition failed, the item of the first item's refusal as it was found
     * (empty when that item's own condition held or it asked for none)
     */
    private Map<String, AttributeValue> transact(TransactWriteItem... items) {
        for (int attempt = 1;; attempt++) {
            try {
                call(() -> dynamo.transactWriteItems(t -> t.transactItems(items)));
                return null;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (conditionFailed(e, reasons)) {
                    CancellationReason first = reasons.isEmpty() ? null : reasons.get(0);
                    return first != null && "ConditionalCheckFailed".equals(first.code()) && first.hasItem()
                            ? first.item()
                            : Map.of();
                }
                boolean conflicted = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflicted || attempt == CONFLICT_ATTEMPTS) {
                    throw unavailable(e);
                }
            }
            pauseAfterConflict(attempt);
        }
    }

    private static boolean conditionFailed(TransactionCanceledException e, List<CancellationReason> reasons) {
        return reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))
                || (reasons.isEmpty() && String.valueOf(e.getMessage()).contains("ConditionalCheckFailed"));
    }

    private static void pauseAfterConflict(int attempt) {
        long base = 20L << (attempt - 1);
        try {
            Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a DynamoDB write", e);
        }
    }

    private Optional<Map<String, AttributeValue>> getItem(String pk) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(g -> g.tableName(config.table())
                .key(Map.of("pk", s(pk))).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * One request to DynamoDB. A transient failure past the SDK's own retries (throttled, failing, or too slow for the
     * per-call cap) becomes {@link StoreUnavailable}; anything else, such as a missing table or a denied action, is a
     * configuration fault that no retry mends and leaves as it is. Conditional and transaction refusals, which the
     * callers above decide on, pass through.
     */
    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException | TransactionConflictException e) {
            throw e;
        } catch (SdkException e) {
            throw transientFailure(e) ? unavailable(e) : e;
        }
    }

    private static boolean transientFailure(SdkException e) {
        if (e instanceof SdkClientException) {
            // No answer: the network, or the per-call cap (ApiCallTimeoutException).
            return true;
        }
        return e instanceof AwsServiceException s && (s.isThrottlingException() || s.statusCode() >= 500);
    }

    private static StoreUnavailable unavailable(SdkException e) {
        // SDK messages name the operation, the status and request ids; never an item's values.
        String message = String.valueOf(e.getMessage());
        LOG.warnf("check store unavailable: %s: %s", e.getClass().getName(),
                message.length() > 300 ? message.substring(0, 300) + "..." : message);
        return new StoreUnavailable();
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
