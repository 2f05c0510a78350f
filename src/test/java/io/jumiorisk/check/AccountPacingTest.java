package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.Deadline;
import io.jumiorisk.jumio.AccountSlots;
import io.jumiorisk.jumio.PaceRule;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.DynamoFaults;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Account requests paced through the table, against the simulator at Jumio's default limit (1/s, burst 5), with the
 * product set a little under it ({@link Profiles.InitiatePaced}).
 */
@QuarkusTest
@TestProfile(Profiles.InitiatePaced.class)
class AccountPacingTest {
    private static final String PACE = "PACE#accounts";
    private static final long SECOND = 1_000_000;
    private static final PaceRule RULE = new PaceRule(Profiles.InitiatePaced.RATE_PER_SECOND,
            Profiles.InitiatePaced.BURST);

    final JumioSimulator sim = TestServices.simulator();

    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;
    @Inject
    AccountSlots slots;

    @BeforeEach
    void idleTenant() {
        // Both sides start rested: the simulator's bucket full, the product's pace with nothing owed.
        dropPace();
        sim.reset().callbacks(false);
    }

    @AfterEach
    void noFaultsLeft() {
        TestServices.dynamodb().clear();
        dropPace();
    }

    @Test
    void startsFromSeveralContainersAtOnceKeepToTheTenantsRate() throws Exception {
        int containers = 4;
        int checksEach = 3;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(containers);
        for (int c = 0; c < containers; c++) {
            int container = c;
            pool.submit(() -> {
                go.await();
                for (int i = 0; i < checksEach; i++) {
                    try {
                        CheckRequest request = parser.parse(Events.JSON.readTree(Checks.emailRisk(Checks.reference())),
                                Set.of());
                        // An API Gateway invocation: 25 s, of which the last 7 are kept for the writes and answer.
                        Deadline deadline = new Deadline(System.currentTimeMillis() + 25_000, 7_000);
                        outcomes.add(starter.start(request, null, null, deadline, "container-" + container + "-" + i,
                                null));
                    } catch (Throwable t) {
                        outcomes.add(t);
                    }
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

        int checks = containers * checksEach;
        assertThat(outcomes).hasSize(checks).allMatch(o -> o instanceof CheckView, "every check started");
        assertThat(outcomes.stream().map(o -> ((CheckView) o).checkId()).distinct()).hasSize(checks);
        assertThat(sim.workflowIds()).as("one workflow per check").hasSize(checks);
        // Every request that is not a workflow was refused with 429. Paced 10% under the simulator's rate and one under
        // its burst, none should be; the bound of 1 allows for a machine so slow that two requests are held back
        // unequally after their slots and reach the simulator nearly together.
        int refused = sim.count(Endpoint.ACCOUNT_CREATE) - checks;
        assertThat(refused).as("account requests refused with 429").isLessThanOrEqualTo(1);
    }

    @Test
    void aSlotBeyondTheInvocationIsA503WithItsWaitAndNothingIsSent() {
        long tat = System.currentTimeMillis() * 1_000 + 60 * SECOND;
        TestServices.dynamo().putItem(p -> p.tableName(TestServices.TABLE).item(Map.of("pk", AttributeValue.fromS(PACE),
                "tat", AttributeValue.fromN(Long.toString(tat)))));
        String body = Checks.emailRisk(Checks.reference());

        long before = System.currentTimeMillis() * 1_000;
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));
        long after = System.currentTimeMillis() * 1_000;

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(503);
        assertThat(answer.body().path("detail").asText()).as("says why, not that Jumio is down").contains("rate");
        // The time until the slot (the TAT less the burst's tolerance), in whole seconds rounded up, as seen at some
        // moment during the invocation.
        long slot = tat - RULE.toleranceMicros();
        long retryAfter = Long.parseLong(answer.headers().path("retry-after").asText());
        assertThat(retryAfter).isBetween((slot - after) / SECOND, (slot - before) / SECOND + 1);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("nothing sent to Jumio").isZero();
        assertThat(TestServices.item(PACE).get("tat").n()).as("nothing reserved").isEqualTo(Long.toString(tat));

        // Once the slot is free (here: at once), the same request starts the same check.
        dropPace();
        Lambda.HttpAnswer retried = Lambda.http(Events.postCheck(body));
        assertThat(retried.status()).as(retried.rawBody()).isEqualTo(202);
        assertThat(retried.body().path("checkId").asText()).isEqualTo(answer.body().path("checkId").asText());
        assertThat(sim.workflowIds()).hasSize(1);
    }

    @Test
    void aPaceThatDynamoDbCannotServeDoesNotStopChecks() {
        // Throttled past the SDK's retries, every time the pace is asked.
        DynamoFaults.refuse(DynamoFaults.PACE, DynamoFaults.THROTTLING, 1_000);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.workflowIds()).hasSize(1);
        assertThat(TestServices.dynamodb().remaining()).as("the pace was asked").isLessThan(1_000);
    }

    /**
     * The table's side of the arithmetic, on a clock of the test's own: far in the future, so no real slot meets it.
     */
    @Test
    void theTableGivesTheBurstThenOneAnIntervalAndRefusesWithoutReserving() {
        long t0 = 4_000_000_000L * SECOND;
        long interval = RULE.intervalMicros();
        List<Long> given = new ArrayList<>();
        for (int i = 0; i < RULE.burst() + 2; i++) {
            AccountSlots.Reservation r = slots.reserve(RULE, t0, t0 + 10 * SECOND);
            assertThat(r.reserved()).isTrue();
            given.add(r.slotMicros() - t0);
        }
        assertThat(given).containsExactly(0L, 0L, 0L, 0L, interval, 2 * interval);
        String tat = TestServices.item(PACE).get("tat").n();

        AccountSlots.Reservation late = slots.reserve(RULE, t0, t0 + interval);
        assertThat(late.reserved()).isFalse();
        assertThat(late.slotMicros() - t0).isEqualTo(3 * interval);
        assertThat(TestServices.item(PACE).get("tat").n()).as("nothing reserved").isEqualTo(tat);

        // A quiet minute later the burst is back, and no more.
        long later = t0 + 60 * SECOND;
        for (int i = 0; i < RULE.burst(); i++) {
            assertThat(slots.reserve(RULE, later, later).slotMicros()).isEqualTo(later);
        }
        assertThat(slots.reserve(RULE, later, later + 10 * SECOND).slotMicros()).isEqualTo(later + interval);
        assertThat(TestServices.item(PACE).keySet()).as("no personal data: the TAT and its expiry")
                .containsExactlyInAnyOrder("pk", "tat", "expiresAt");
    }

    private static void dropPace() {
        TestServices.dynamo().deleteItem(d -> d.tableName(TestServices.TABLE)
                .key(Map.of("pk", AttributeValue.fromS(PACE))));
    }
}
