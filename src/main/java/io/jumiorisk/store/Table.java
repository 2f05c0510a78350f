package io.jumiorisk.store;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jumiorisk.errors.StoreUnavailable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The checks table, one request at a time: strongly consistent reads, conditional writes that answer with the item as
 * they left it or found it, and transactions. DynamoDB's transient failures leave it as {@link StoreUnavailable}; a
 * write refused for a concurrent write to the same item is tried again a few times.
 */
@ApplicationScoped
class Table {
    private static final Logger LOG = Logger.getLogger(Table.class);
    /** Attempts of a write that DynamoDB refuses for a concurrent write to the same item: about 0.6 s at most. */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final StoreConfig config;

    Table(DynamoDbClient dynamo, StoreConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    String name() {
        return config.table();
    }

    Optional<Map<String, AttributeValue>> get(String pk) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(g -> g.tableName(config.table())
                .key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** What a conditional update did: whether it applied, and the item after it, or as found (empty if none). */
    record Updated(boolean applied, Map<String, AttributeValue> item) {
    }

    Updated update(UpdateItemRequest.Builder request) {
        UpdateItemRequest built = request.tableName(config.table()).returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
        for (int attempt = 1;; attempt++) {
            try {
                return new Updated(true, call(() -> dynamo.updateItem(built)).attributes());
            } catch (ConditionalCheckFailedException e) {
                return new Updated(false, e.hasItem() ? e.item() : Map.of());
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
     * @return null when it committed; when a condition failed, each item's cancellation reason, in order
     */
    List<CancellationReason> transact(TransactWriteItem... items) {
        for (int attempt = 1;; attempt++) {
            try {
                call(() -> dynamo.transactWriteItems(t -> t.transactItems(items)));
                return null;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.stream().anyMatch(Table::conditionFailed)
                        || (reasons.isEmpty() && String.valueOf(e.getMessage()).contains("ConditionalCheckFailed"))) {
                    return reasons;
                }
                boolean conflicted = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflicted || attempt == CONFLICT_ATTEMPTS) {
                    throw unavailable(e);
                }
            }
            pauseAfterConflict(attempt);
        }
    }

    static boolean conditionFailed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    /**
     * One request to DynamoDB. A transient failure past the SDK's own retries (throttled, failing, or too slow for the
     * per-call cap) becomes {@link StoreUnavailable}; anything else, such as a missing table or a denied action, is a
     * configuration fault that no retry mends and leaves as it is. Conditional and transaction refusals, which the
     * callers decide on, pass through.
     */
    <T> T call(Supplier<T> request) {
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

    private static void pauseAfterConflict(int attempt) {
        long base = 20L << (attempt - 1);
        try {
            // Not ThreadLocalRandom: containers restored from one SnapStart snapshot would all draw the same pauses.
            Thread.sleep(base + new SecureRandom().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a DynamoDB write", e);
        }
    }
}
