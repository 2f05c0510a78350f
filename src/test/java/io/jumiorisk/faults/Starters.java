package io.jumiorisk.faults;

import java.time.Duration;
import java.util.Set;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.testing.Events;

final class Starters {
    private Starters() {
    }

    /** Starts checks with the product's own start service, as a concurrent initiate container would. */
    static Run.Starter of(CheckStarter starter, RequestParser parser) {
        return (body, taskToken) -> starter.start(parser.parse(Events.JSON.readTree(body), Set.of()), null, taskToken,
                Deadline.in(Duration.ofSeconds(25)), "scenario-start-" + java.util.UUID.randomUUID());
    }
}
