package io.jumiorisk.testing;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Leaves a check as a dead invocation leaves it: its lease held until {@code until}. Setting {@code until} in the past
 * stands for the time passing until the dead invocation's Lambda deadline.
 */
public final class Leases {
    private Leases() {
    }

    public static void hold(String checkId, long until) {
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", AttributeValue.fromS("CHECK#" + checkId)))
                .updateExpression("SET leaseOwner = :o, leaseUntil = :u")
                .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("dead-invocation"),
                        ":u", AttributeValue.fromN(Long.toString(until)))));
    }

    /** The dead invocation's deadline has passed. */
    public static void expire(String checkId) {
        hold(checkId, System.currentTimeMillis() - 1);
    }
}
