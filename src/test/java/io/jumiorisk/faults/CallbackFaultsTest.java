package io.jumiorisk.faults;

import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.testing.Profiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The catalogue's scenarios for the callback function (checks started by the start service), through the Lambda event
 * path.
 */
@QuarkusTest
@TestProfile(Profiles.Callback.class)
class CallbackFaultsTest {
    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;

    @TestFactory
    Stream<DynamicTest> scenarios() {
        return ScenarioRunner.tests(Scenario.Handler.CALLBACK, starter, parser,
                sim -> sim.callbacks(true).callbackDelayMillis(100));
    }
}
