package io.jumiorisk.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;

/**
 * Starts a check with the product's own start service ({@link RequestParser}, then {@link CheckStarter}), as an
 * initiate invocation would: for tests of the other functions, whose Quarkus app serves another handler, and for the
 * fault suite, which starts checks as a concurrent initiate container would.
 */
public final class Starts {
    /** What an initiate invocation has when the runtime gives no deadline ({@code jumio.default-budget}). */
    private static final Duration BUDGET = Duration.ofSeconds(25);

    private Starts() {
    }

    public static CheckView start(CheckStarter starter, RequestParser parser, String body) {
        return start(starter, parser, body, null);
    }

    /**
     * @param body the {@code POST /checks} body
     * @param taskToken a Step Functions task token to complete when the check does, or {@code null}
     */
    public static CheckView start(CheckStarter starter, RequestParser parser, String body, String taskToken) {
        JsonNode json;
        try {
            json = Events.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("a test's start body is not JSON", e);
        }
        TestServices.handedTaskToken(taskToken);
        // Each start is its own invocation, and so its own lease holder.
        return starter.start(parser.parse(json, Set.of()), null, taskToken, Deadline.in(BUDGET),
                "test-start-" + UUID.randomUUID(), null);
    }
}
