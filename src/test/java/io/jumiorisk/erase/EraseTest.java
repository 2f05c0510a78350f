package io.jumiorisk.erase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckFinisher;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.errors.CheckErased;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.store.CheckStore;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.DynamoFaults;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.Starts;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The erase function through the Lambda event path; checks are started with the start service itself. */
@QuarkusTest
@TestProfile(Profiles.Erase.class)
class EraseTest {
    /** Everything a tombstone may hold: the check's id and the record of its erasure. */
    private static final Set<String> TOMBSTONE = Set.of("pk", "checkId", "status", "erasureScope", "erasureOutcome",
            "erasureRequestedAt", "erasedAt", "updatedAt", "expiresAt");

    final JumioSimulator sim = TestServices.simulator();

    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;
    @Inject
    CheckFinisher completion;
    @Inject
    CheckStore store;
    @Inject
    io.jumiorisk.check.CheckReader reader;

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    private CheckView startCheck(String body) {
        return Starts.start(starter, parser, body);
    }

    private static Lambda.HttpAnswer erase(String checkId) {
        return Lambda.http(Events.deleteCheck(checkId));
    }

    private static void assertTombstone(CheckView view, String outcome, String scope) {
        Map<String, AttributeValue> item = TestServices.item("CHECK#" + view.checkId());
        assertThat(item.keySet()).isSubsetOf(TOMBSTONE);
        assertThat(item.get("status").s()).isEqualTo("ERASED");
        assertThat(item.get("erasureOutcome").s()).isEqualTo(outcome);
        assertThat(item.get("erasureScope").s()).isEqualTo(scope);
        long expires = Long.parseLong(item.get("expiresAt").n());
        assertThat(Instant.ofEpochSecond(expires)).isAfter(Instant.now().plus(Duration.ofDays(364)));
        // Its idempotency item still leads to it, so that a replay of the request is told the check was erased
        // instead of starting it anew; its workflow's pointer too, so that a late callback finds the tombstone instead
        // of asking Jumio about the erased workflow. Each holds ids only and expires with the tombstone.
        assertThat(TestServices.allItems()).noneMatch(i -> !i.get("pk").s().startsWith("CHECK#")
                && !i.get("pk").s().startsWith("WX#") && !i.get("pk").s().startsWith("IDEM#")
                && view.checkId().equals(i.getOrDefault("checkId", AttributeValue.fromS("")).s()));
        assertThat(TestServices.allItems()).filteredOn(i -> i.get("pk").s().startsWith("IDEM#")
                && view.checkId().equals(i.get("checkId").s())).singleElement().satisfies(idem -> {
                    assertThat(idem.keySet()).containsExactlyInAnyOrder("pk", "checkId", "expiresAt");
                    assertThat(idem.get("expiresAt")).isEqualTo(item.get("expiresAt"));
                });
        if (view.workflowExecutionId() != null) {
            assertThat(TestServices.item("WX#" + view.workflowExecutionId()).keySet())
                    .containsExactlyInAnyOrder("pk", "checkId", "expiresAt");
        }
    }

    @Test
    void aProcessedCheckIsErasedAtJumioAndHere() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        // What the callback function does once Jumio has processed the workflow.
        completion.fetchDecision(store.get(view.checkId()).orElseThrow(), Deadline.in(Duration.ofSeconds(20)));
        assertThat(TestServices.item("CHECK#" + view.checkId()).get("status").s()).isEqualTo("PROCESSED");

        Lambda.HttpAnswer answer = erase(view.checkId());

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("checkId").asText()).isEqualTo(view.checkId());
        assertThat(body.path("status").asText()).isEqualTo("ERASED");
        assertThat(body.path("erasure").path("scope").asText()).isEqualTo("workflow");
        assertThat(body.path("erasure").path("jumio").asText()).isEqualTo("DELETED");
        assertThat(body.path("erasure").path("erasedAt").asText()).isNotEmpty();
        assertThat(body.has("decision")).isFalse();
        assertThat(body.has("accountId")).isFalse();
        assertThat(sim.count(Endpoint.DELETE)).isEqualTo(1);
        assertThat(sim.workflowIds()).doesNotContain(view.workflowExecutionId());
        assertTombstone(view, "DELETED", "workflow");
    }

    @Test
    void aPendingCheckIsErasedAndCannotBeResumed() {
        String body = Checks.emailRisk(Checks.reference());
        CheckView view = startCheck(body);

        assertThat(erase(view.checkId()).body().path("status").asText()).isEqualTo("ERASED");
        assertTombstone(view, "DELETED", "workflow");

        // The same request later is told that its check was erased (410): it is neither resumed nor started anew.
        int accounts = sim.count(Endpoint.ACCOUNT_CREATE);
        assertThatThrownBy(() -> startCheck(body)).isInstanceOfSatisfying(CheckErased.class,
                e -> assertThat(e.contract().httpStatus()).isEqualTo(410));
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(accounts);
        assertThat(TestServices.item("CHECK#" + view.checkId()).get("status").s()).isEqualTo("ERASED");
    }

    @Test
    void erasingTwiceIsNotAnError() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Lambda.HttpAnswer first = erase(view.checkId());
        Lambda.HttpAnswer second = erase(view.checkId());

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(sim.count(Endpoint.DELETE)).isEqualTo(1);
    }

    @Test
    void whatJumioNoLongerHasCountsAsGone() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        sim.failNext(Endpoint.DELETE, 404, 1);

        Lambda.HttpAnswer answer = erase(view.checkId());

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.body().path("erasure").path("jumio").asText()).isEqualTo("ALREADY_GONE");
        assertTombstone(view, "ALREADY_GONE", "workflow");
    }

    @Test
    void jumioUnreachableLeavesTheCheckMarkedAndARepeatCompletesIt() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        sim.failNext(Endpoint.DELETE, 503, 100);

        Lambda.HttpAnswer failed = erase(view.checkId());

        assertThat(failed.status()).as(failed.rawBody()).isEqualTo(503);
        assertThat(failed.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioUnavailable");
        Map<String, AttributeValue> marked = TestServices.item("CHECK#" + view.checkId());
        CheckView pending = reader.readFull(view.checkId(), Deadline.in(Duration.ofSeconds(20))).check();
        assertThat(pending.erasure().requestedAt()).isNotNull();
        assertThat(reader.readFull(view.checkId(), Deadline.in(Duration.ofSeconds(20))).liveCapabilities())
                .as("no live personal data once an erasure is asked for").isNull();
        assertThat(marked.get("status").s()).isEqualTo("PENDING");
        assertThat(marked.get("erasureScope").s()).isEqualTo("workflow");
        assertThat(marked).containsKey("erasureRequestedAt").doesNotContainKey("erasedAt");
        assertThat(sim.workflowIds()).contains(view.workflowExecutionId());

        sim.clearFaults();
        Lambda.HttpAnswer repeated = erase(view.checkId());

        assertThat(repeated.status()).as(repeated.rawBody()).isEqualTo(200);
        assertThat(repeated.body().path("erasure").path("requestedAt").asText())
                .isEqualTo(marked.get("erasureRequestedAt").s());
        assertThat(sim.workflowIds()).doesNotContain(view.workflowExecutionId());
        assertTombstone(view, "DELETED", "workflow");
    }

    @Test
    void aStoreOutageAfterJumioDeletedLeavesTheCheckMarkedAndARepeatCompletesIt() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        DynamoFaults.refuse(DynamoFaults.TOMBSTONE, DynamoFaults.UNAVAILABLE, 1_000);
        Lambda.HttpAnswer failed;
        Lambda.Result direct;
        try {
            failed = erase(view.checkId());
            direct = Lambda.direct("{\"checkId\":\"" + view.checkId() + "\"}");
        } finally {
            TestServices.dynamodb().clear();
        }

        assertThat(failed.status()).as(failed.rawBody()).isEqualTo(503);
        assertThat(failed.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.StoreUnavailable");
        assertThat(failed.header("retry-after")).isEqualTo("1");
        assertThat(direct.errorType()).isEqualTo("io.jumiorisk.errors.StoreUnavailable");
        Map<String, AttributeValue> marked = TestServices.item("CHECK#" + view.checkId());
        assertThat(marked.get("status").s()).isEqualTo("PENDING");
        assertThat(marked).containsKey("erasureScope").doesNotContainKey("erasedAt");
        assertThat(sim.workflowIds()).as("gone at Jumio already").doesNotContain(view.workflowExecutionId());

        Lambda.HttpAnswer repeated = erase(view.checkId());

        assertThat(repeated.status()).as(repeated.rawBody()).isEqualTo(200);
        assertThat(repeated.body().path("erasure").path("jumio").asText()).isEqualTo("ALREADY_GONE");
        assertTombstone(view, "ALREADY_GONE", "workflow");
    }

    @Test
    void aMissingPermissionIsNamedAndTheCheckStaysMarked() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        sim.eraserPermission(false);

        Lambda.HttpAnswer refused = erase(view.checkId());

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioRejected");
        assertThat(refused.body().path("detail").asText()).contains("HTTP 403", "\"retrieve & delete\" permission",
                "JUMIO_ERASE_CREDENTIALS_SECRET_ID", "stays marked for erasure");
        assertThat(TestServices.item("CHECK#" + view.checkId()).get("erasureScope").s()).isEqualTo("workflow");
        assertThat(sim.workflowIds()).contains(view.workflowExecutionId());
    }

    @Test
    void accountScopeErasesEveryWorkflowOfTheJumioAccount() throws Exception {
        CheckView first = startCheck(Checks.emailRisk(Checks.reference()));
        com.fasterxml.jackson.databind.node.ObjectNode second = (com.fasterxml.jackson.databind.node.ObjectNode) Events.JSON
                .readTree(Checks.phoneRisk(Checks.reference()));
        second.put("accountId", first.accountId());
        CheckView other = startCheck(second.toString());
        assertThat(other.accountId()).isEqualTo(first.accountId());

        Lambda.HttpAnswer answer = Lambda.http(Events.deleteCheckAccount(first.checkId()));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.body().path("erasure").path("scope").asText()).isEqualTo("account");
        assertThat(sim.workflowIds()).doesNotContain(first.workflowExecutionId(), other.workflowExecutionId());
        assertTombstone(first, "DELETED", "account");
    }

    @Test
    void aStepFunctionsTaskCanEraseToo() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));

        Lambda.Result result = Lambda.direct("{\"checkId\":\"" + view.checkId() + "\",\"scope\":\"workflow\"}");

        assertThat(result.ok()).as(result.body().toString()).isTrue();
        assertThat(result.body().path("status").asText()).isEqualTo("ERASED");
        assertThat(Lambda.direct("{\"checkId\":\"" + view.checkId() + "\",\"scope\":\"everything\"}").errorType())
                .isEqualTo("io.jumiorisk.errors.InvalidRequest");
    }

    @Test
    void aCheckBeingStartedIsNotErasedYet() {
        sim.delayNext(Endpoint.ACCOUNT_CREATE, 1_500, 1);
        String body = Checks.emailRisk(Checks.reference());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            String owner = "erase-test-" + java.util.UUID.randomUUID();
            java.util.concurrent.Future<CheckView> start = pool.submit(() -> starter.start(
                    parser.parse(Events.JSON.readTree(body), Set.of()), null, null, Deadline.in(Duration.ofSeconds(20)),
                    owner, null));
            TestServices.await("the start to reach Jumio", () -> sim.count(Endpoint.ACCOUNT_CREATE) == 1);
            String checkId = TestServices.allItems().stream()
                    .filter(i -> owner.equals(i.getOrDefault("leaseOwner", AttributeValue.fromS("")).s()))
                    .map(i -> i.get("checkId").s()).findFirst().orElseThrow();

            Lambda.HttpAnswer busy = erase(checkId);

            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.CheckInProgress");
            assertThat(busy.header("retry-after")).isNotNull();
            CheckView started = start.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(erase(started.checkId()).body().path("status").asText()).isEqualTo("ERASED");
            assertThat(sim.workflowIds()).doesNotContain(started.workflowExecutionId());
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theEraseFunctionDeletesWithItsOwnJumioClient() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        // The main client may not delete; the erase function does not need it to.
        sim.retrieveAndDeletePermission(false);

        Lambda.HttpAnswer answer = erase(view.checkId());

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(sim.deleteClients()).containsExactly(sim.eraserClientId());
        assertTombstone(view, "DELETED", "workflow");
    }

    @Test
    void theScheduledSweepFinishesAnErasureThatJumioWasDownForAndNoOneRepeated() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        sim.failNext(Endpoint.DELETE, 503, 100);
        assertThat(erase(view.checkId()).status()).isEqualTo(503);
        assertThat(TestServices.item("SWEEP#erasures").get("checkIds").ss()).contains(view.checkId());

        // Still down at the first run: the check stays on the list.
        Lambda.Result stillDown = Lambda.direct("{\"sweep\": true}");
        assertThat(stillDown.ok()).as(stillDown.body().toString()).isTrue();
        assertThat(stillDown.body().path("pendingErasures").asInt()).isEqualTo(1);

        sim.clearFaults();
        Lambda.Result swept = Lambda.direct("{\"sweep\": true}");

        assertThat(swept.ok()).as(swept.body().toString()).isTrue();
        assertThat(swept.body().path("erased").asInt()).isEqualTo(1);
        assertThat(swept.body().path("pendingErasures").asInt()).isZero();
        assertThat(sim.workflowIds()).doesNotContain(view.workflowExecutionId());
        assertTombstone(view, "DELETED", "workflow");
        assertThat(TestServices.item("SWEEP#erasures").get("checkIds")).as("an empty set is no attribute")
                .isNull();
    }

    @Test
    void theSweepDeletesTheOrphansThatCallbacksFound() {
        // An orphan as the callback function records it: its own item, and its id on the sweep's list.
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        String orphan = sim.seedUnfinalizedWorkflow("10066", null, Checks.reference());
        String account = sim.liveWorkflows().stream().filter(w -> w.workflowExecutionId().equals(orphan))
                .findFirst().orElseThrow().accountId();
        TestServices.dynamo().putItem(p -> p.tableName(TestServices.TABLE).item(Map.of(
                "pk", AttributeValue.fromS("ORPHAN#" + orphan), "checkId", AttributeValue.fromS(view.checkId()),
                "accountId", AttributeValue.fromS(account), "state", AttributeValue.fromS("PENDING"),
                "foundAt", AttributeValue.fromS(Instant.now().toString()))));
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", AttributeValue.fromS("SWEEP#orphans"))).updateExpression("ADD workflowIds :w")
                .expressionAttributeValues(Map.of(":w", AttributeValue.fromSs(java.util.List.of(orphan)))));
        sim.failNext(Endpoint.DELETE, 503, 100);

        Lambda.Result failed = Lambda.direct("{\"sweep\": true}");
        int refused = sim.deleteRequests(orphan);
        sim.clearFaults();
        Lambda.Result swept = Lambda.direct("{\"sweep\": true}");
        Lambda.Result again = Lambda.direct("{\"sweep\": true}");

        assertThat(failed.body().path("pendingOrphans").asInt()).as("released for the next run").isEqualTo(1);
        assertThat(refused).isPositive();
        assertThat(swept.body().path("orphansDeleted").asInt()).isEqualTo(1);
        assertThat(again.body().path("orphansDeleted").asInt()).isZero();
        assertThat(sim.deleteRequests(orphan)).as("deleted once Jumio was back, and not again").isEqualTo(refused + 1);
        assertThat(sim.liveWorkflows()).noneMatch(w -> w.workflowExecutionId().equals(orphan));
        assertThat(TestServices.item("ORPHAN#" + orphan).get("state").s()).isEqualTo("DELETED");
        assertThat(TestServices.item("CHECK#" + view.checkId()).get("orphansDeleted").n()).isEqualTo("1");
        assertThat(sim.workflowIds()).as("the check keeps its own").contains(view.workflowExecutionId());
    }

    @Test
    void badRequestsAreRefusedPlainly() {
        assertThat(erase("not-a-check").status()).isEqualTo(400);
        assertThat(erase("00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Lambda.HttpAnswer badScope = Lambda.http(Events.deleteCheck(view.checkId()).query("scope", "account"));
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.body().path("detail").asText()).as("the old form names the route that replaced it")
                .contains("DELETE /checks/{checkId}/account");
        assertThat(TestServices.item("CHECK#" + view.checkId())).doesNotContainKey("erasureScope");
    }
}
