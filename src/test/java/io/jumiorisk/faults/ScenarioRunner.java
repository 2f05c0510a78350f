package io.jumiorisk.faults;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.ErasureSweep;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Starts;
import io.jumiorisk.testing.TestServices;
import io.quarkus.arc.Arc;

/** Turns the catalogue's scenarios for one handler into tests: reset, run, then check the invariants. */
final class ScenarioRunner {
    private ScenarioRunner() {
    }

    /** Each scenario starts its checks with the product's own start service, through {@link Starts}. */
    static Stream<DynamicTest> tests(Scenario.Handler handler, CheckStarter checkStarter, RequestParser parser,
            Consumer<JumioSimulator> reset) {
        Run.Starter starter = (body, taskToken) -> Starts.start(checkStarter, parser, body, taskToken);
        // -Dfaults.only=F23,B40 runs just those scenarios (while working on them).
        java.util.Set<String> only = java.util.Set.of(System.getProperty("faults.only", "").split(","));
        return Catalogue.all().stream().filter(s -> s.handler() == handler)
                .filter(s -> only.equals(java.util.Set.of("")) || only.contains(s.id()))
                .map(s -> DynamicTest.dynamicTest(s.displayName(), () -> run(s, starter, reset)));
    }

    private static void run(Scenario scenario, Run.Starter starter, Consumer<JumioSimulator> reset) throws Exception {
        JumioSimulator sim = TestServices.simulator();
        reset.accept(sim.reset().noRateLimits());
        TestServices.dynamodb().clear();
        TestServices.sfn().clear();
        Run run = new Run(starter, () -> Arc.container().instance(ErasureSweep.class).get()
                .sweep(Deadline.in(Duration.ofSeconds(25))));
        try {
            scenario.body().run(run);
        } finally {
            TestServices.dynamodb().clear();
            TestServices.sfn().clear();
        }
        Invariants.verify(run);
    }
}
