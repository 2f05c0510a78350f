package io.jumiorisk.testing;

import java.time.Duration;
import java.util.Set;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;

/**
 * Starts a check with the product's own start service, as the initiate function would have, for tests of the other
 * functions (whose Quarkus app serves another handler).
 */
public final class Starts {
    private Starts() {
    }

    public static CheckView start(CheckStarter starter, RequestParser parser, String body) {
        try {
            return starter.start(parser.parse(Events.JSON.readTree(body), Set.of()), null, null,
                    Deadline.in(Duration.ofSeconds(20)), "test-start");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
