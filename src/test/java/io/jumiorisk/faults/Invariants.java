package io.jumiorisk.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jumiorisk.sim.LiveWorkflow;
import io.jumiorisk.testing.TestServices;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What must hold after every scenario, whatever it injected:
 * <ul>
 * <li>no check is lost and no workflow is left behind: once every workflow that an ambiguous account answer may have
 * left has revealed itself (its expiry callback), every live workflow at Jumio is tracked (its {@code WX#} pointer
 * leads to a check that names it), and every check is final or can still be completed by a retry or a read;</li>
 * <li>no duplicate Jumio transaction: no check owns two workflows, and no workflow is tracked by two checks;</li>
 * <li>no personal data and no secret in any DynamoDB item or in the application's log: the exact strings the scenario
 * sent, the Jumio client secret, the callback secret, every Step Functions task token handed over, and every bearer
 * token that went to Jumio.</li>
 * </ul>
 */
final class Invariants {
    static final Path LOG = Path.of("target/test-app.log");
    private static final Set<String> FINAL = Set.of("PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED", "FAILED",
            "ERASED");
    /** Longer than any invocation's deadline (29 s): a lease held past that would block retries for good. */
    private static final long MAX_LEASE_MILLIS = 60_000;

    private Invariants() {
    }

    /**
     * Lets every workflow that an ambiguous account answer may have left behind reveal itself, as Jumio would: each
     * unfinalized workflow's token lifetime ends, and its TOKEN_EXPIRED callback is delivered (here at once, whether
     * or not the scenario had callbacks switched off), and the erase sweep runs. Only then does "no live workflow that
     * no check owns" hold.
     */
    private static void revealOrphans(Run run) {
        for (String workflow : run.sim.expireUnfinalizedNow()) {
            if (!run.foreignWorkflows().contains(workflow)) {
                run.sim.sendCallback(workflow, "TOKEN_EXPIRED");
            }
        }
        // The callbacks found them; the erase function's sweep deletes them.
        run.sweep();
    }

    static void verify(Run run) throws Exception {
        revealOrphans(run);
        Map<String, String> checkOfWorkflow = new HashMap<>();
        for (LiveWorkflow live : run.sim.liveWorkflows()) {
            String workflow = live.workflowExecutionId();
            if (run.foreignWorkflows().contains(workflow)) {
                assertThat(TestServices.item("WX#" + workflow)).as("a workflow that is not ours stays untracked")
                        .isNull();
                continue;
            }
            Map<String, AttributeValue> pointer = TestServices.item("WX#" + workflow);
            assertThat(pointer).as("live workflow %s at Jumio is owned by a check (a lost check, or an orphan left"
                    + " behind)", workflow).isNotNull();
            String checkId = pointer.get("checkId").s();
            Map<String, AttributeValue> check = TestServices.item("CHECK#" + checkId);
            assertThat(check).as("the check of workflow %s exists", workflow).isNotNull();
            assertThat(check.get("workflowExecutionId").s()).as("check %s names workflow %s", checkId, workflow)
                    .isEqualTo(workflow);
            assertThat(checkOfWorkflow.values()).as("duplicate Jumio transaction for check %s", checkId)
                    .doesNotContain(checkId);
            checkOfWorkflow.put(workflow, checkId);
            run.track(checkId);
        }
        for (String checkId : run.checkIds()) {
            Map<String, AttributeValue> check = TestServices.item("CHECK#" + checkId);
            assertThat(check).as("check %s exists", checkId).isNotNull();
            String status = check.get("status").s();
            if (!FINAL.contains(status)) {
                assertThat(status).isEqualTo("PENDING");
                AttributeValue lease = check.get("leaseUntil");
                if (lease != null) {
                    assertThat(Long.parseLong(lease.n()) - System.currentTimeMillis())
                            .as("check %s is retryable: its lease runs out with its invocation", checkId)
                            .isLessThan(MAX_LEASE_MILLIS);
                }
            }
        }
        List<String> secrets = run.secrets();
        String table = TestServices.allItems().toString();
        String log = Files.exists(LOG) ? Files.readString(LOG) : "";
        for (String value : run.sentValues()) {
            assertThat(table.contains(value)).as("personal data sent in this scenario is in DynamoDB: %s", value)
                    .isFalse();
            assertThat(log.contains(value)).as("personal data sent in this scenario is in the log: %s", value)
                    .isFalse();
        }
        for (String secret : secrets) {
            assertThat(table.contains(secret)).as("a secret is in DynamoDB").isFalse();
            assertThat(log.contains(secret)).as("a secret is in the log").isFalse();
        }
        // Every metric line written so far follows the EMF specification and the product's rules (no ids).
        assertThat(io.jumiorisk.testing.EmfLines.violationsInLog()).as("metric lines").isEmpty();
    }
}
