package io.jumiorisk.store;

import static io.jumiorisk.store.Attr.n;
import static io.jumiorisk.store.Attr.s;
import static io.jumiorisk.store.Attr.str;
import static io.jumiorisk.store.Attr.time;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.jumiorisk.check.model.ErasureOutcome;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Workflows that ambiguous account requests left at Jumio. The callback function finds one ({@code ORPHAN#} item,
 * {@code PENDING}, and on the erase sweep's list); the erase function, the only one allowed to delete at Jumio, claims
 * it ({@code DELETING}), deletes it and records that ({@code DELETED} or {@code ALREADY_GONE}, counted on the check).
 * Each step is conditional, so however often Jumio delivers the orphan's callback and however many sweeps run, it is
 * deleted once.
 */
@ApplicationScoped
public class OrphanStore {
    private static final String ORPHAN = "ORPHAN#";
    static final String PENDING_ORPHANS = "SWEEP#orphans";
    private static final String PENDING = "PENDING";
    private static final String DELETING = "DELETING";

    private final Table table;
    private final StoreConfig config;

    OrphanStore(Table table, StoreConfig config) {
        this.table = table;
        this.config = config;
    }

    /** An orphan to delete: the workflow, its account, and the check that left it. */
    public record Orphan(String workflowExecutionId, String accountId, String checkId) {
    }

    /**
     * Records a workflow found to be an orphan of {@code checkId}, and puts it on the sweep's list.
     *
     * @return false when it had been found before
     */
    public boolean recordFound(Orphan orphan) {
        Instant now = Instant.now();
        List<CancellationReason> refused = table.transact(
                TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Map.of("pk", s(ORPHAN + orphan.workflowExecutionId())))
                        .updateExpression("SET checkId = :c, accountId = :a, #state = :pending, foundAt = :now, "
                                + "expiresAt = :exp")
                        .conditionExpression("attribute_not_exists(pk)")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":c", s(orphan.checkId()), ":a", s(orphan.accountId()),
                                ":pending", s(PENDING), ":now", time(now),
                                ":exp", n(now.plus(config.retention()).getEpochSecond())))
                        .build()).build(),
                TransactWriteItem.builder().update(pendingList("ADD", orphan.workflowExecutionId())).build());
        return refused == null;
    }

    /** The orphans the sweep is to delete. */
    public Set<String> pending() {
        return table.get(PENDING_ORPHANS).map(item -> item.get("workflowIds")).filter(AttributeValue::hasSs)
                .map(v -> Set.copyOf(v.ss())).orElse(Set.of());
    }

    /**
     * Claims the deletion of a found orphan. A claim whose holder died (older than {@code staleBefore}) can be taken
     * over; one that finished cannot.
     *
     * @return the orphan, when this caller holds the claim now
     */
    public Optional<Orphan> claim(String workflowExecutionId, Instant staleBefore) {
        Table.Updated claimed = table.update(UpdateItemRequest.builder()
                .key(Map.of("pk", s(ORPHAN + workflowExecutionId)))
                .updateExpression("SET #state = :deleting, claimedAt = :now")
                .conditionExpression("#state = :pending OR (#state = :deleting AND claimedAt < :stale)")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":pending", s(PENDING), ":deleting", s(DELETING),
                        ":now", time(Instant.now()), ":stale", time(staleBefore))));
        if (!claimed.applied()) {
            if (claimed.item() == null || claimed.item().isEmpty()) {
                // Nothing on record: an id left on the list by a transaction that failed half-way.
                dropFromList(workflowExecutionId);
            }
            return Optional.empty();
        }
        return Optional.of(new Orphan(workflowExecutionId, str(claimed.item(), "accountId"),
                str(claimed.item(), "checkId")));
    }

    /** Jumio could not be asked to delete it now: the next sweep claims it again. */
    public void release(String workflowExecutionId) {
        table.update(UpdateItemRequest.builder().key(Map.of("pk", s(ORPHAN + workflowExecutionId)))
                .updateExpression("SET #state = :pending").conditionExpression("#state = :deleting")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":pending", s(PENDING), ":deleting", s(DELETING))));
    }

    /**
     * The orphan is gone at Jumio: its claim becomes the record of that, it leaves the sweep's list, and the check (or
     * its tombstone) counts it, which resolves one of its ambiguous attempts.
     */
    public void recordDeleted(Orphan orphan, ErasureOutcome outcome) {
        TransactWriteItem record = TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Map.of("pk", s(ORPHAN + orphan.workflowExecutionId())))
                .updateExpression("SET #state = :outcome, deletedAt = :now")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":outcome", s(outcome.name()), ":now", time(Instant.now())))
                .build()).build();
        TransactWriteItem unlist = TransactWriteItem.builder()
                .update(pendingList("DELETE", orphan.workflowExecutionId())).build();
        TransactWriteItem count = TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Map.of("pk", s(CheckStore.checkKey(orphan.checkId()))))
                .updateExpression("ADD orphansDeleted :one SET updatedAt = :now")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":one", n(1), ":now", time(Instant.now()))).build()).build();
        if (table.transact(record, unlist, count) != null) {
            // The check has expired from the table meanwhile: the orphan's own record is what is left to write.
            table.transact(record, unlist);
        }
    }

    private void dropFromList(String workflowExecutionId) {
        table.update(UpdateItemRequest.builder().key(Map.of("pk", s(PENDING_ORPHANS)))
                .updateExpression("DELETE workflowIds :w")
                .expressionAttributeValues(Map.of(":w", AttributeValue.fromSs(List.of(workflowExecutionId)))));
    }

    private Update pendingList(String action, String workflowExecutionId) {
        return Update.builder().tableName(table.name()).key(Map.of("pk", s(PENDING_ORPHANS)))
                .updateExpression(action + " workflowIds :w")
                .expressionAttributeValues(Map.of(":w", AttributeValue.fromSs(List.of(workflowExecutionId))))
                .build();
    }
}
