package io.jumiorisk.testing;

import java.util.function.Predicate;

/**
 * DynamoDB's own error answers, for {@link AwsProxy#answerNext}, and the request bodies of each write the product
 * makes, so that a test can refuse exactly one of them.
 */
public final class DynamoFaults {
    private DynamoFaults() {
    }

    /** An error answer: what {@code status} and body DynamoDB sends. */
    public record Answer(String name, int status, String json) {
    }

    public static final Answer PROVISIONED_THROUGHPUT_EXCEEDED = new Answer("ProvisionedThroughputExceeded", 400, """
            {"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
             "message":"The level of configured provisioned throughput for the table was exceeded."}""");
    public static final Answer THROTTLING = new Answer("Throttling", 400,
            """
                    {"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}""");
    public static final Answer INTERNAL_SERVER_ERROR = new Answer("InternalServerError", 500, """
            {"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""");
    public static final Answer UNAVAILABLE = new Answer("ServiceUnavailable", 503, """
            {"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"Service unavailable"}""");
    /** A transaction that met another write in flight on one of its items. */
    public static final Answer TRANSACTION_CONFLICT = new Answer("TransactionConflict", 400,
            """
                    {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                     "message":"Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]",
                     "CancellationReasons":[{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"},{"Code":"None"}]}""");
    /** A plain write to an item inside a transaction in flight. */
    public static final Answer IN_TRANSACTION = new Answer("TransactionConflict", 400, """
            {"__type":"com.amazonaws.dynamodb.v20120810#TransactionConflictException",
             "message":"Transaction is ongoing for the item"}""");

    /** One write the product makes: the DynamoDB action and how to recognise its request body. */
    public record Write(String name, String action, Predicate<String> body) {
    }

    public static final Write FIRST_RECORD = new Write("record the check", "TransactWriteItems",
            b -> b.contains("IDEM#"));
    public static final Write WORKFLOW_STARTED = new Write("record the started workflow", "TransactWriteItems",
            b -> b.contains("WX#"));
    public static final Write DATA_UPLOADED = new Write("record the upload", "UpdateItem",
            b -> b.contains(":to\":{\"S\":\"DATA_UPLOADED"));
    public static final Write FINALIZED = new Write("record finalize", "UpdateItem",
            b -> b.contains(":to\":{\"S\":\"FINALIZED"));
    public static final Write CALLBACK = new Write("record the callback", "UpdateItem", b -> b.contains("\":cs\""));
    /** The decision, stored alone (reconciliation) or with the callback that announced it. */
    public static final Write DECISION = new Write("store the decision", "UpdateItem",
            b -> b.contains("\":done\"") || b.contains("decision = :d"));
    public static final Write POLL_CLAIM = new Write("claim a poll slot", "UpdateItem", b -> b.contains("\":next\""));
    /** The reservation of an account request slot ({@code PACE#accounts}). */
    public static final Write PACE = new Write("reserve an account request slot", "UpdateItem",
            b -> b.contains("PACE#accounts"));
    public static final Write ANY_READ = new Write("read", "GetItem", b -> true);
    public static final Write TOMBSTONE = new Write("replace an erased check with its tombstone", "TransactWriteItems",
            b -> b.contains("erasureOutcome"));

    /** The next {@code times} requests of {@code write} get {@code answer}. */
    public static void refuse(Write write, Answer answer, int times) {
        TestServices.dynamodb().answerNext(write.action(), write.body(), times, answer.status(), answer.json());
    }
}
