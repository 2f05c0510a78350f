package io.jumiorisk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.jumiorisk.callback.CallbackKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * After the whole suite, every table that the suite's tests wrote to (one per test profile) holds no usable secret in
 * plaintext: no Step Functions task token that a test handed over, no bearer token (access or workflow token) that a
 * simulator issued, no callback URL's key of any check in it, and none of the deployments' secrets.
 * <p>
 * It must run after every other test class. Quarkus runs the classes of one profile together, and places each group
 * by the name of its first class: this class has a profile of its own, and its package ({@code testing}) sorts after
 * every package that holds Quarkus tests. Keep it so.
 */
@QuarkusTest
@TestProfile(Profiles.EndOfRun.class)
class SecretsAtRestTest {
    @Test
    void noTableHoldsATokenACallbackKeyOrASecretInPlaintext() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (String endpoint : RunRecord.all(RunRecord.DYNAMODB_ENDPOINTS)) {
            try (DynamoDbClient dynamo = TestServices.dynamo(endpoint)) {
                dynamo.scanPaginator(s -> s.tableName(TestServices.TABLE)).items().forEach(items::add);
            }
        }
        Set<String> checkIds = new TreeSet<>();
        items.forEach(i -> {
            if (i.get("checkId") != null && i.get("checkId").s() != null) {
                checkIds.add(i.get("checkId").s());
            }
        });
        // Run on its own, this class finds nothing that another test wrote.
        assumeTrue(checkIds.size() > 10, "run with the whole suite");

        Set<String> taskTokens = RunRecord.all(RunRecord.TASK_TOKENS);
        Set<String> issued = RunRecord.all(RunRecord.ISSUED_TOKENS);
        List<String> secrets = new ArrayList<>(RunRecord.all(RunRecord.SECRETS));
        secrets.addAll(issued);
        secrets.addAll(taskTokens);
        for (String callbackSecret : RunRecord.all(RunRecord.CALLBACK_SECRETS)) {
            checkIds.forEach(id -> secrets.add(CallbackKeys.sign(callbackSecret, id)));
        }
        String tables = items.toString();
        System.out.printf("secrets at rest: %d items of %d checks in %d tables; looked for %d task tokens, %d bearer"
                + " tokens, %d callback keys and the secrets%n", items.size(), checkIds.size(),
                RunRecord.all(RunRecord.DYNAMODB_ENDPOINTS).size(), taskTokens.size(), issued.size(),
                secrets.size() - taskTokens.size() - issued.size());

        assertThat(taskTokens).as("the suite hands task tokens over").isNotEmpty();
        assertThat(issued).as("the suite meets Jumio's bearer tokens").isNotEmpty();
        assertThat(items).as("no task token in plaintext").noneMatch(i -> i.containsKey("taskToken"));
        for (String secret : secrets) {
            assertThat(tables.contains(secret))
                    .as("a secret in plaintext in a table (%d characters, starting %s)", secret.length(),
                            secret.substring(0, Math.min(4, secret.length())))
                    .isFalse();
        }
    }
}
