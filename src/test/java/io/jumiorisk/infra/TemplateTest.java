package io.jumiorisk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.local.HttpApiGateway;
import io.jumiorisk.local.HttpContract;
import io.jumiorisk.testing.AslDataFlow;
import io.jumiorisk.testing.AslPayloads;
import io.jumiorisk.testing.CfnTemplate;
import io.jumiorisk.testing.CfnTemplate.Statement;

/**
 * What {@code template.yaml} grants and to whom: the state machine's encryption and who may decrypt its history, which
 * role reads which secret, each role's exact grants, the routes and the functions they reach, the limits on the public
 * callback route, and the erasure sweep. cfn-lint ({@code infra/lint.sh}) checks that the template is valid; these
 * tests check that it says what the README says it does.
 */
class TemplateTest {
    static final CfnTemplate T = CfnTemplate.load();
    static final String SM_ARN = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"
            + "${AWS::StackName}-check";
    static final Map<String, Object> ROOT = Map.of("AWS",
            Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"));

    /** Function (logical id) → its execution role, and the handler name its resources are named after. */
    static final Map<String, String> ROLES = Map.of("InitiateFunction", "InitiateFunctionRole", "CallbackFunction",
            "CallbackFunctionRole", "RetrieveFunction", "RetrieveFunctionRole", "EraseFunction", "EraseFunctionRole");
    static final Map<String, String> HANDLERS = Map.of("initiate", "InitiateFunction", "callback", "CallbackFunction",
            "retrieve", "RetrieveFunction", "erase", "EraseFunction");

    // ------------------------------------------------------------------ Step Functions: encryption

    @Test
    void theStateMachineIsEncryptedWithAKeyOfItsOwnThatRotates() {
        assertThat(T.type("CheckStateMachine")).isEqualTo("AWS::StepFunctions::StateMachine");
        Map<String, Object> sm = T.properties("CheckStateMachine");
        assertThat(sm.get("StateMachineType")).isEqualTo("STANDARD");
        assertThat(sm.get("StateMachineName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-check"));
        assertThat(sm.get("EncryptionConfiguration")).isEqualTo(Map.of("Type", "CUSTOMER_MANAGED_KMS_KEY",
                "KmsKeyId", Map.of("Fn::GetAtt", List.of("CheckHistoryKey", "Arn")),
                "KmsDataKeyReusePeriodSeconds", 300));
        Map<String, Object> logging = CfnTemplate.map(sm.get("LoggingConfiguration"));
        assertThat(logging.get("IncludeExecutionData")).isEqualTo(false);

        assertThat(T.type("CheckHistoryKey")).isEqualTo("AWS::KMS::Key");
        Map<String, Object> key = T.properties("CheckHistoryKey");
        assertThat(key.get("EnableKeyRotation")).isEqualTo(true);
        assertThat(key.get("KeySpec")).isEqualTo("SYMMETRIC_DEFAULT");
    }

    @Test
    void theStateMachineRunsTheShippedDefinitionWithEverySubstitution() throws IOException {
        Map<String, Object> sm = T.properties("CheckStateMachine");
        assertThat(sm.get("DefinitionS3Location")).isEqualTo("infra/statemachine/check.asl.json");
        String asl = Files.readString(java.nio.file.Path.of("infra/statemachine/check.asl.json"));
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(asl);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertThat(CfnTemplate.map(sm.get("DefinitionSubstitutions")).keySet()).isEqualTo(placeholders);
        assertThat(sm.get("RoleArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("CheckStateMachineRole", "Arn")));
    }

    @Test
    void onlyTheStateMachineRoleTheLogDeliveryServiceAndTheOptionalAuditorMayDecrypt() {
        List<Statement> statements = T.keyPolicyStatements("CheckHistoryKey");
        assertThat(statements).allMatch(s -> "Allow".equals(s.effect()));

        Map<Object, Map<String, Object>> decrypters = new LinkedHashMap<>();
        for (Statement s : statements) {
            if (s.allows("kms:Decrypt")) {
                decrypters.put(s.principal(), s.condition());
            }
        }
        assertThat(decrypters.keySet()).containsExactlyInAnyOrder(
                Map.of("AWS", Map.of("Fn::GetAtt", List.of("CheckStateMachineRole", "Arn"))),
                Map.of("Service", "delivery.logs.amazonaws.com"),
                Map.of("AWS", Map.of("Ref", "HistoryAuditorRoleArn")));

        // The role, for this state machine's data only; the auditor, through Step Functions only, likewise.
        assertThat(decrypters.get(Map.of("AWS", Map.of("Fn::GetAtt", List.of("CheckStateMachineRole", "Arn")))))
                .isEqualTo(Map.of("StringEquals",
                        Map.of("kms:EncryptionContext:aws:states:stateMachineArn", Map.of("Fn::Sub", SM_ARN))));
        assertThat(decrypters.get(Map.of("AWS", Map.of("Ref", "HistoryAuditorRoleArn"))))
                .isEqualTo(Map.of("StringEquals", Map.of("kms:ViaService",
                        Map.of("Fn::Sub", "states.${AWS::Region}.amazonaws.com"),
                        "kms:EncryptionContext:aws:states:stateMachineArn", Map.of("Fn::Sub", SM_ARN))));
        // The auditor's statement exists only when the parameter names one.
        List<?> conditional = CfnTemplate.list(CfnTemplate.map(T.properties("CheckHistoryKey").get("KeyPolicy"))
                .get("Statement")).stream().filter(s -> CfnTemplate.map(s).containsKey("Fn::If")).toList();
        assertThat(conditional).hasSize(1);
        List<?> ifAuditor = CfnTemplate.list(CfnTemplate.map(conditional.get(0)).get("Fn::If"));
        assertThat(ifAuditor.get(0)).isEqualTo("HasHistoryAuditor");
        assertThat(CfnTemplate.map(ifAuditor.get(1)).get("Sid")).isEqualTo("AuditorReadsHistory");
        assertThat(ifAuditor.get(2)).isEqualTo(Map.of("Ref", "AWS::NoValue"));
        assertThat(T.condition("HasHistoryAuditor"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref",
                        "HistoryAuditorRoleArn"), "")))));
        assertThat(T.parameter("HistoryAuditorRoleArn").get("Default")).isEqualTo("");
    }

    @Test
    void theAccountAdministersTheKeyButCannotDecryptOrGrant() {
        List<String> use = List.of("kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:CreateGrant");
        List<Statement> account = T.keyPolicyStatements("CheckHistoryKey").stream()
                .filter(s -> ROOT.equals(s.principal())).toList();
        assertThat(account).isNotEmpty();
        for (Statement s : account) {
            for (String action : use) {
                assertThat(s.allows(action)).as("%s allows %s", s.raw().get("Sid"), action).isFalse();
            }
        }
        // Administration, so that the key can never be orphaned.
        assertThat(account.stream().anyMatch(s -> s.allows("kms:PutKeyPolicy") && s.condition().isEmpty())).isTrue();
        assertThat(account.stream().anyMatch(s -> s.allows("kms:ScheduleKeyDeletion"))).isTrue();
        // GenerateDataKey (which decrypts nothing) only as AWS documents for Create/UpdateStateMachine: through Step
        // Functions, for this state machine.
        for (Statement s : account) {
            if (s.allows("kms:GenerateDataKey")) {
                assertThat(s.actions()).containsExactly("kms:GenerateDataKey");
                assertThat(s.condition()).isEqualTo(Map.of("StringEquals", Map.of("kms:ViaService",
                        Map.of("Fn::Sub", "states.${AWS::Region}.amazonaws.com"),
                        "kms:EncryptionContext:aws:states:stateMachineArn", Map.of("Fn::Sub", SM_ARN))));
            }
        }
    }

    @Test
    void theKeyPolicysStateMachineArnIsTheStateMachines() {
        // The ARN in the conditions is built from the state machine's name, not a reference (that would be circular).
        String name = String.valueOf(CfnTemplate.map(T.properties("CheckStateMachine").get("StateMachineName"))
                .get("Fn::Sub"));
        assertThat(SM_ARN).endsWith(":stateMachine:" + name);
    }

    @Test
    void noStateAfterStartCheckReferencesPreparedData() {
        assertThat(AslDataFlow.violations(AslPayloads.definition())).isEmpty();
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void eachRoleReadsExactlyTheSecretsItsFunctionNeeds() {
        Map<String, Set<String>> reads = new TreeMap<>();
        for (String role : T.ofType("AWS::IAM::Role")) {
            reads.put(role, T.resourcesAllowed(role, "secretsmanager:GetSecretValue",
                    "AWS::SecretsManager::Secret"));
        }
        assertThat(reads).isEqualTo(new TreeMap<>(Map.of(
                "InitiateFunctionRole", Set.of("JumioCredentialsSecret", "CallbackTokenSecret", "DataKeySecret"),
                "CallbackFunctionRole", Set.of("JumioCredentialsSecret", "CallbackTokenSecret", "DataKeySecret"),
                "RetrieveFunctionRole", Set.of("JumioCredentialsSecret", "DataKeySecret"),
                // The main secret only as the other branch of EraseCredentials (shared); see the next test.
                "EraseFunctionRole", Set.of("JumioCredentialsSecret", "JumioEraseCredentialsSecret", "DataKeySecret"),
                "CheckStateMachineRole", Set.of(),
                "EraseSweepScheduleRole", Set.of())));
        // And never on a wildcard.
        for (String role : T.ofType("AWS::IAM::Role")) {
            for (Statement s : T.roleStatements(role)) {
                if (s.actions().stream().anyMatch(a -> a.startsWith("secretsmanager:"))) {
                    assertThat(s.resources()).as(role).noneMatch("*"::equals);
                }
            }
        }
    }

    @Test
    void noRoleButEraseCanEvenNameTheEraseSecret() {
        for (String id : T.resources().keySet()) {
            if (!id.equals("EraseFunctionRole") && !id.equals("EraseFunction")
                    && !id.equals("JumioEraseCredentialsSecret")) {
                assertThat(CfnTemplate.referencedIds(T.resource(id), "JumioEraseCredentialsSecret"::equals))
                        .as(id).isEmpty();
            }
        }
        assertThat(T.resource("JumioEraseCredentialsSecret").get("Condition")).isEqualTo("SeparateEraseCredentials");
        assertThat(T.condition("SeparateEraseCredentials"))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "EraseCredentials"), "separate")));
        assertThat(T.parameter("EraseCredentials").get("AllowedValues")).isEqualTo(List.of("separate", "shared"));
        // Shared: erase reads the main secret for both.
        assertThat(environment("EraseFunction").get("JUMIO_ERASE_CREDENTIALS_SECRET_ID"))
                .isEqualTo(Map.of("Fn::If", List.of("SeparateEraseCredentials",
                        Map.of("Ref", "JumioEraseCredentialsSecret"), Map.of("Ref", "JumioCredentialsSecret"))));
        // Erase knows no other Jumio client, and its role may read the main secret only when that is the one it
        // erases with: with a separate erase client it cannot start checks.
        assertThat(environment("EraseFunction")).doesNotContainKey("JUMIO_CREDENTIALS_SECRET_ID");
        assertThat(T.resource("EraseFunctionRole").toString()).contains(Map.of("Fn::If", List.of(
                "SeparateEraseCredentials", Map.of("Ref", "JumioEraseCredentialsSecret"),
                Map.of("Ref", "JumioCredentialsSecret"))).toString());
    }

    @Test
    void eachFunctionIsToldOfExactlyTheSecretsItsRoleMayRead() {
        // A function told of a secret that its role cannot read fails when it reads it (at startup, for the
        // callback secret); a role that may read a secret its function is not told of has a grant nobody uses.
        for (Map.Entry<String, String> f : ROLES.entrySet()) {
            Set<String> told = CfnTemplate.referencedIds(environment(f.getKey()), id -> T.resources().containsKey(id)
                    && "AWS::SecretsManager::Secret".equals(T.type(id)));
            assertThat(told).as(f.getKey()).isEqualTo(T.resourcesAllowed(f.getValue(),
                    "secretsmanager:GetSecretValue", "AWS::SecretsManager::Secret"));
        }
        for (String function : ROLES.keySet()) {
            assertThat(environment(function).containsKey("JUMIO_ERASE_CREDENTIALS_SECRET_ID"))
                    .as(function).isEqualTo(function.equals("EraseFunction"));
        }
    }

    @Test
    void initiateAloneIsToldTheTenantsAccountRequestRate() {
        // Only initiate sends account requests; it reserves their slots with UpdateItem on the checks table.
        assertThat(environment("InitiateFunction")).containsEntry("JUMIO_ACCOUNT_RATE_PER_SECOND",
                Map.of("Ref", "JumioAccountRatePerSecond")).containsEntry("JUMIO_ACCOUNT_BURST",
                        Map.of("Ref", "JumioAccountBurst"));
        assertThat(T.resource("InitiateFunctionRole").toString()).contains("dynamodb:UpdateItem");
        for (String other : List.of("CallbackFunction", "RetrieveFunction", "EraseFunction")) {
            assertThat(environment(other)).as(other).doesNotContainKeys("JUMIO_ACCOUNT_RATE_PER_SECOND",
                    "JUMIO_ACCOUNT_BURST");
        }
        // The same defaults and bounds as the function's own (JumioConfig, PaceRule): Jumio's usual 1/s, burst 5.
        assertThat(T.parameter("JumioAccountRatePerSecond")).containsEntry("Default", 1).containsEntry("MinValue", 0)
                .containsEntry("MaxValue", 1000);
        assertThat(T.parameter("JumioAccountBurst")).containsEntry("Default", 5).containsEntry("MinValue", 1)
                .containsEntry("MaxValue", 10000);
    }

    // ------------------------------------------------------------------ least privilege

    @Test
    void eachRoleHasExactlyTheGrantsItsFunctionUses() {
        Set<String> logsAndTraces = Set.of("logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments",
                "xray:PutTelemetryRecords");
        Map<String, Set<String>> expected = Map.of(
                "InitiateFunctionRole", union(logsAndTraces, "dynamodb:GetItem", "dynamodb:PutItem",
                        "dynamodb:UpdateItem", "secretsmanager:GetSecretValue", "states:SendTaskSuccess",
                        "states:SendTaskFailure"),
                "CallbackFunctionRole", union(logsAndTraces, "dynamodb:GetItem", "dynamodb:UpdateItem",
                        "secretsmanager:GetSecretValue", "states:SendTaskSuccess", "states:SendTaskFailure"),
                "RetrieveFunctionRole", union(logsAndTraces, "dynamodb:GetItem", "dynamodb:UpdateItem",
                        "secretsmanager:GetSecretValue", "states:SendTaskSuccess", "states:SendTaskFailure"),
                "EraseFunctionRole", union(logsAndTraces, "dynamodb:GetItem", "dynamodb:UpdateItem",
                        "dynamodb:PutItem", "secretsmanager:GetSecretValue",
                        "states:SendTaskFailure"),
                "EraseSweepScheduleRole", Set.of("lambda:InvokeFunction"));
        for (Map.Entry<String, Set<String>> role : expected.entrySet()) {
            assertThat(T.allowedActions(role.getKey())).as(role.getKey()).isEqualTo(new TreeSet<>(role.getValue()));
        }
        // The state machine role: the two functions, log delivery and X-Ray; nothing of DynamoDB, secrets or KMS (its
        // use of the key is in the key policy, scoped to its own ARN).
        assertThat(T.allowedActions("CheckStateMachineRole")).allMatch(
                a -> a.equals("lambda:InvokeFunction") || a.startsWith("logs:") || a.startsWith("xray:"));
    }

    @Test
    void eachRolesDynamoDbActionsAreExactlyWhatItsHandlerDoesOnTheTableOnly() {
        Map<String, Set<String>> expected = Map.of(
                "InitiateFunctionRole", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                "CallbackFunctionRole", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                "RetrieveFunctionRole", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                "EraseFunctionRole", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"));
        for (String role : T.ofType("AWS::IAM::Role")) {
            Set<String> dynamo = new TreeSet<>();
            for (Statement s : T.roleStatements(role)) {
                for (String a : s.actions()) {
                    if (a.startsWith("dynamodb:")) {
                        dynamo.add(a);
                        assertThat(s.resources()).as(role)
                                .containsExactly(Map.of("Fn::GetAtt", List.of("ChecksTable", "Arn")));
                    }
                }
            }
            assertThat(dynamo).as(role).isEqualTo(expected.getOrDefault(role, Set.of()));
        }
    }

    @Test
    void noConditionCheckItemAnywhere() throws IOException {
        // The product's transactions hold Put, Update and Delete items only. Comments may explain why.
        assertThat(Files.readAllLines(CfnTemplate.TEMPLATE)).filteredOn(l -> !l.strip().startsWith("#"))
                .noneMatch(l -> l.contains("ConditionCheckItem"));
        for (String role : T.ofType("AWS::IAM::Role")) {
            assertThat(T.roleStatements(role)).noneMatch(st -> st.allows("dynamodb:ConditionCheckItem"));
        }
    }

    @Test
    void theStateMachineMayInvokeExactlyItsTwoTargets() {
        Map<String, Object> subs = CfnTemplate.map(T.properties("CheckStateMachine").get("DefinitionSubstitutions"));
        List<Object> invokable = new ArrayList<>();
        for (Statement s : T.roleStatements("CheckStateMachineRole")) {
            if (s.allows("lambda:InvokeFunction")) {
                invokable.addAll(CfnTemplate.list(s.raw().get("Resource")));
            }
        }
        assertThat(invokable).containsExactlyInAnyOrder(subs.get("InitiateFunctionArn"),
                subs.get("RetrieveFunctionArn"));
    }

    // ------------------------------------------------------------------ routes

    /** The HTTP contract, which the HttpApi's DefinitionBody includes. */
    static final HttpContract API = HttpContract.load();

    /** "METHOD /path" → the function (logical id) its integration invokes, from the HTTP contract. */
    static Map<String, String> routes() {
        Map<String, String> routes = new TreeMap<>();
        for (HttpApiGateway.Route r : API.routes()) {
            routes.put(r.routeKey(), HANDLERS.get(r.functionName()));
        }
        return routes;
    }

    @Test
    void theHttpApiIsDefinedByTheContractFileAndNothingElse() {
        assertThat(T.properties("HttpApi").get("DefinitionBody")).isEqualTo(Map.of("Fn::Transform", Map.of(
                "Name", "AWS::Include", "Parameters", Map.of("Location", HttpContract.FILE.toString()))));
        // SAM writes Name into info.title and Description into info.description, and refuses either when the
        // definition has it already: the contract says both.
        assertThat(T.properties("HttpApi")).doesNotContainKeys("Name", "Description", "DefinitionUri");
        assertThat(CfnTemplate.map(API.root().get("info"))).containsKeys("title", "description");
    }

    @Test
    void theRoutesAndTheFunctionsTheyReach() {
        assertThat(routes()).isEqualTo(new TreeMap<>(Map.of(
                "POST /checks", "InitiateFunction",
                "GET /checks/{checkId}", "RetrieveFunction",
                "GET /checks/{checkId}/details", "RetrieveFunction",
                "DELETE /checks/{checkId}", "EraseFunction",
                "DELETE /checks/{checkId}/account", "EraseFunction",
                "POST /callbacks/jumio", "CallbackFunction")));
    }

    @Test
    void everyIntegrationIsALambdaProxyOfPayloadFormat2OnTheAliasWhenSnapStartIsOn() {
        for (Map.Entry<String, Map<String, Object>> op : API.operations().entrySet()) {
            Map<String, Object> integration = CfnTemplate.map(op.getValue().get("x-amazon-apigateway-integration"));
            assertThat(integration).as(op.getKey()).containsEntry("type", "aws_proxy")
                    .containsEntry("httpMethod", "POST").containsEntry("payloadFormatVersion", "2.0");
            List<?> sub = CfnTemplate.list(CfnTemplate.map(integration.get("uri")).get("Fn::Sub"));
            assertThat(sub.get(0).toString()).as(op.getKey())
                    .startsWith("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                            + "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:");
            assertThat(sub.get(1)).as(op.getKey()).isEqualTo(Map.of("Qualifier",
                    Map.of("Fn::If", List.of("UseSnapStart", ":live", ""))));
        }
    }

    @Test
    void everyRouteButTheCallbackIsSignedAndNoneTakesAScope() {
        Map<String, Object> schemes = CfnTemplate.map(CfnTemplate.map(API.root().get("components"))
                .get("securitySchemes"));
        assertThat(CfnTemplate.map(schemes.get("AWS_IAM"))).containsEntry("x-amazon-apigateway-authtype", "awsSigv4");
        for (Map.Entry<String, Map<String, Object>> op : API.operations().entrySet()) {
            String route = op.getKey();
            Map<String, Object> operation = op.getValue();
            List<String> query = new ArrayList<>();
            for (Object p : CfnTemplate.list(operation.getOrDefault("parameters", List.of()))) {
                Map<String, Object> parameter = parameter(CfnTemplate.map(p));
                if ("query".equals(parameter.get("in"))) {
                    query.add(String.valueOf(parameter.get("name")));
                }
            }
            if (route.equals("POST /callbacks/jumio")) {
                // No security requirement: API Gateway would read one as an authorizer, and Jumio cannot sign.
                assertThat(operation).as(route).doesNotContainKey("security");
                assertThat(query).as(route).containsExactlyInAnyOrder("check", "sig");
            } else {
                assertThat(operation.get("security")).as(route).isEqualTo(List.of(Map.of("AWS_IAM", List.of())));
                // The old ?scope= and ?view= could not be told apart by IAM; routes of their own replaced them.
                assertThat(query).as(route).isEmpty();
            }
        }
    }

    /** A parameter, or the one its {@code $ref} names in the contract's components. */
    static Map<String, Object> parameter(Map<String, Object> parameter) {
        Object ref = parameter.get("$ref");
        if (ref == null) {
            return parameter;
        }
        String name = ref.toString().substring("#/components/parameters/".length());
        return CfnTemplate.map(CfnTemplate.map(CfnTemplate.map(API.root().get("components")).get("parameters"))
                .get(name));
    }

    @Test
    void eachFunctionsApiPermissionMatchesItsOwnRoutesOnly() {
        String api = "a1b2c3d4e5";
        Map<String, String> routes = routes();
        Map<String, List<Pattern>> permissions = new TreeMap<>();
        for (String id : T.ofType("AWS::Lambda::Permission")) {
            Map<String, Object> p = T.properties(id);
            assertThat(p.get("Principal")).isEqualTo("apigateway.amazonaws.com");
            String function = CfnTemplate.referencedIds(p.get("FunctionName"), ROLES::containsKey).iterator().next();
            String sourceArn = String.valueOf(CfnTemplate.map(p.get("SourceArn")).get("Fn::Sub"))
                    .replace("${AWS::Partition}", "aws").replace("${AWS::Region}", "us-east-1")
                    .replace("${AWS::AccountId}", "123456789012").replace("${HttpApi}", api);
            permissions.computeIfAbsent(function, f -> new ArrayList<>()).add(glob(sourceArn));
        }
        for (Map.Entry<String, String> route : routes.entrySet()) {
            String[] parts = route.getKey().split(" ");
            String invoked = "arn:aws:execute-api:us-east-1:123456789012:" + api + "/$default/" + parts[0]
                    + parts[1].replace("{checkId}", "0b3e3a4c-1111-4222-8333-944455556666");
            for (Map.Entry<String, List<Pattern>> f : permissions.entrySet()) {
                boolean allowed = f.getValue().stream().anyMatch(p -> p.matcher(invoked).matches());
                assertThat(allowed).as("%s may be invoked by %s", f.getKey(), route.getKey())
                        .isEqualTo(f.getKey().equals(route.getValue()));
            }
        }
    }

    @Test
    void theLocalGatewayServesTheTemplatesRoutes() {
        Map<String, String> local = new TreeMap<>();
        for (HttpApiGateway.Route r : new HttpApiGateway((function, event) -> null).routes()) {
            local.put(r.method() + " " + r.path(), HANDLERS.get(r.functionName()));
        }
        assertThat(local).isEqualTo(routes());
    }

    // ------------------------------------------------------------------ the public callback route

    @Test
    void theCallbackRouteHasAThrottleOfItsOwn() {
        Map<String, Object> settings = CfnTemplate.map(CfnTemplate.map(T.properties("HttpApi").get("RouteSettings"))
                .get("POST /callbacks/jumio"));
        assertThat(settings).isEqualTo(Map.of("ThrottlingRateLimit", Map.of("Ref", "CallbackThrottlingRateLimit"),
                "ThrottlingBurstLimit", Map.of("Ref", "CallbackThrottlingBurstLimit")));
        assertThat(((Number) T.parameter("CallbackThrottlingRateLimit").get("Default")).intValue())
                .isLessThan(((Number) T.parameter("ApiThrottlingRateLimit").get("Default")).intValue());
        assertThat(((Number) T.parameter("CallbackThrottlingBurstLimit").get("Default")).intValue())
                .isLessThan(((Number) T.parameter("ApiThrottlingBurstLimit").get("Default")).intValue());
        assertThat(routes()).containsKey("POST /callbacks/jumio");
    }

    @Test
    void theCallbackFunctionHasReservedConcurrencyUnlessSetToZero() {
        assertThat(T.properties("CallbackFunction").get("ReservedConcurrentExecutions"))
                .isEqualTo(Map.of("Fn::If", List.of("ReserveCallbackConcurrency",
                        Map.of("Ref", "CallbackReservedConcurrency"), Map.of("Ref", "AWS::NoValue"))));
        assertThat(T.condition("ReserveCallbackConcurrency")).isEqualTo(Map.of("Fn::Not", List.of(Map.of(
                "Fn::Equals", List.of(Map.of("Ref", "CallbackReservedConcurrency"), "0")))));
        Map<String, Object> parameter = T.parameter("CallbackReservedConcurrency");
        assertThat(parameter.get("MinValue")).isEqualTo(0);
        assertThat(((Number) parameter.get("Default")).intValue()).isPositive();
        for (String other : List.of("InitiateFunction", "RetrieveFunction", "EraseFunction")) {
            assertThat(T.properties(other)).as(other).doesNotContainKey("ReservedConcurrentExecutions");
        }
    }

    // ------------------------------------------------------------------ the sweep

    @Test
    void theScheduleInvokesEraseWithSweepTrueThroughARoleThatMayDoNothingElse() throws IOException {
        assertThat(T.ofType("AWS::Scheduler::Schedule")).containsExactly("EraseSweepSchedule");
        Map<String, Object> schedule = T.properties("EraseSweepSchedule");
        assertThat(schedule.get("ScheduleExpression")).isEqualTo(Map.of("Ref", "SweepSchedule"));
        assertThat(T.parameter("SweepSchedule").get("Default")).isEqualTo("rate(5 minutes)");
        assertThat(schedule.get("State")).isEqualTo("ENABLED");
        Map<String, Object> target = CfnTemplate.map(schedule.get("Target"));
        Object erase = Map.of("Fn::If", List.of("UseSnapStart", Map.of("Ref", "EraseFunctionAliaslive"),
                Map.of("Fn::GetAtt", List.of("EraseFunction", "Arn"))));
        assertThat(target.get("Arn")).isEqualTo(erase);
        JsonNode input = new ObjectMapper().readTree(String.valueOf(target.get("Input")));
        assertThat(input).isEqualTo(new ObjectMapper().readTree("{\"sweep\": true}"));
        assertThat(target.get("RoleArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("EraseSweepScheduleRole", "Arn")));

        List<Statement> statements = T.roleStatements("EraseSweepScheduleRole");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).actions()).containsExactly("lambda:InvokeFunction");
        assertThat(statements.get(0).raw().get("Resource")).isEqualTo(erase);
        Map<String, Object> trust = CfnTemplate.map(CfnTemplate.list(CfnTemplate.map(
                T.properties("EraseSweepScheduleRole").get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        assertThat(trust.get("Principal")).isEqualTo(Map.of("Service", "scheduler.amazonaws.com"));
        assertThat(trust.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))));
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, Object> environment(String function) {
        Map<String, Object> env = new TreeMap<>(CfnTemplate.map(CfnTemplate.map(CfnTemplate.map(CfnTemplate.map(
                T.root().get("Globals")).get("Function")).get("Environment")).get("Variables")));
        env.putAll(CfnTemplate.map(CfnTemplate.map(T.properties(function).get("Environment")).get("Variables")));
        return env;
    }

    static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new TreeSet<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /** An ARN pattern of a Lambda permission's SourceArn: {@code *} matches any characters, "/" included. */
    static Pattern glob(String arn) {
        List<String> parts = new ArrayList<>();
        for (String part : arn.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    // ------------------------------------------------------------------ Monitoring (docs/observability.md)

    /** Every alarm the issue asks for: logical id → what it watches (namespace, metric or metrics). */
    static final Map<String, List<String>> ALARMS = Map.ofEntries(
            Map.entry("InitiateErrorsAlarm", List.of("AWS/Lambda", "Errors")),
            Map.entry("CallbackErrorsAlarm", List.of("AWS/Lambda", "Errors")),
            Map.entry("RetrieveErrorsAlarm", List.of("AWS/Lambda", "Errors")),
            Map.entry("EraseErrorsAlarm", List.of("AWS/Lambda", "Errors")),
            Map.entry("InitiateThrottlesAlarm", List.of("AWS/Lambda", "Throttles")),
            Map.entry("CallbackThrottlesAlarm", List.of("AWS/Lambda", "Throttles")),
            Map.entry("RetrieveThrottlesAlarm", List.of("AWS/Lambda", "Throttles")),
            Map.entry("EraseThrottlesAlarm", List.of("AWS/Lambda", "Throttles")),
            Map.entry("Api5xxAlarm", List.of("AWS/ApiGateway", "5xx")),
            Map.entry("RefusedCallbacksAlarm", List.of("JumioRisk", "CallbacksRefused")),
            Map.entry("Jumio5xxRateAlarm", List.of("JumioRisk", "JumioCalls")),
            Map.entry("PendingErasuresAlarm", List.of("JumioRisk", "OldestPendingErasureAge")),
            Map.entry("LiveOrphansAlarm", List.of("JumioRisk", "PendingOrphans")),
            Map.entry("StateMachineFailedExecutionsAlarm", List.of("AWS/States", "ExecutionsFailed")),
            Map.entry("StateMachineTimedOutExecutionsAlarm", List.of("AWS/States", "ExecutionsTimedOut")),
            Map.entry("DynamoDbThrottlingAlarm", List.of("AWS/DynamoDB", "ReadThrottleEvents", "WriteThrottleEvents")));

    @Test
    void theAlarmTopicIsAnOptionalParameter() {
        Map<String, Object> topic = T.parameter("AlarmTopicArn");
        assertThat(topic.get("Type")).isEqualTo("String");
        assertThat(topic.get("Default")).isEqualTo("");
        Pattern allowed = Pattern.compile((String) topic.get("AllowedPattern"));
        assertThat(allowed.matcher("").matches()).as("may be left empty").isTrue();
        assertThat(allowed.matcher("arn:aws:sns:eu-west-1:123456789012:ops-alerts").matches()).isTrue();
        assertThat(allowed.matcher("ops-alerts").matches()).isFalse();
        assertThat(T.condition("HasAlarmTopic"))
                .isEqualTo(
                        Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "AlarmTopicArn"), "")))));
    }

    @Test
    void everyAlarmExistsAndNotifiesTheTopicOnlyWhenOneIsSet() {
        Object notify = Map.of("Fn::If", List.of("HasAlarmTopic", List.of(Map.of("Ref", "AlarmTopicArn")),
                Map.of("Ref", "AWS::NoValue")));
        for (Map.Entry<String, List<String>> alarm : ALARMS.entrySet()) {
            String id = alarm.getKey();
            assertThat(T.type(id)).as(id).isEqualTo("AWS::CloudWatch::Alarm");
            Map<String, Object> p = T.properties(id);
            assertThat(p.get("AlarmActions")).as(id).isEqualTo(notify);
            assertThat(p.get("OKActions")).as(id).isEqualTo(notify);
            assertThat(p.get("TreatMissingData")).as(id + ": metrics written only when something happens")
                    .isEqualTo("notBreaching");
            String watched = p.containsKey("Metrics")
                    ? p.get("Metrics").toString()
                    : p.get("Namespace") + " " + p.get("MetricName");
            for (String name : alarm.getValue()) {
                assertThat(watched).as(id).contains(name);
            }
        }
        assertThat(T.ofType("AWS::CloudWatch::Alarm")).containsExactlyInAnyOrderElementsOf(ALARMS.keySet());
        // One alarm of each kind per function, on that function.
        for (String function : HANDLERS.values()) {
            String name = function.replace("Function", "");
            for (String kind : List.of("Errors", "Throttles")) {
                assertThat(CfnTemplate.list(T.properties(name + kind + "Alarm").get("Dimensions")))
                        .isEqualTo(List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", function))));
            }
        }
    }

    @Test
    void theProductAlarmsSelectTheStacksOwnMetrics() {
        for (String id : List.of("RefusedCallbacksAlarm", "Jumio5xxRateAlarm", "PendingErasuresAlarm",
                "LiveOrphansAlarm")) {
            assertThat(T.properties(id).toString()).as(id)
                    .contains("{Name=service, Value={Ref=AWS::StackName}}");
        }
        Map<String, Object> age = T.properties("PendingErasuresAlarm");
        assertThat(age.get("Threshold")).as("older than a day, in seconds").isEqualTo(86400);
        assertThat(age.get("Statistic")).isEqualTo("Maximum");
        assertThat(T.properties("Jumio5xxRateAlarm").toString()).contains("{Name=result, Value=5xx}");
        assertThat(T.properties("RefusedCallbacksAlarm").get("Threshold"))
                .isEqualTo(Map.of("Ref", "RefusedCallbacksAlarmThreshold"));
        // The functions write that service dimension and trace as the parameter says.
        Map<String, Object> globals = CfnTemplate.map(CfnTemplate.map(T.root().get("Globals")).get("Function"));
        Map<String, Object> env = CfnTemplate.map(CfnTemplate.map(globals.get("Environment")).get("Variables"));
        assertThat(env.get("METRICS_SERVICE")).isEqualTo(Map.of("Ref", "AWS::StackName"));
        assertThat(env.get("TRACING")).isEqualTo(Map.of("Ref", "Tracing"));
        assertThat(globals.get("Tracing")).isEqualTo(Map.of("Ref", "Tracing"));
        assertThat(T.parameter("Tracing").get("AllowedValues")).isEqualTo(List.of("Active", "PassThrough"));
    }

    @Test
    void theDashboardShowsTheProductMetricsAndEveryAlarm() throws IOException {
        assertThat(T.type("MonitoringDashboard")).isEqualTo("AWS::CloudWatch::Dashboard");
        Object body = T.properties("MonitoringDashboard").get("DashboardBody");
        String json = (String) CfnTemplate.map(body).get("Fn::Sub");
        JsonNode dashboard = new ObjectMapper().readTree(json);
        assertThat(dashboard.path("widgets").size()).isGreaterThan(10);
        assertThat(json).contains("\"JumioRisk\"").contains("\"service\", \"${AWS::StackName}\"");
        for (String metric : List.of("ChecksStarted", "ChecksEnded", "JumioCalls", "JumioLatency", "TokenFetches",
                "CallbacksAccepted", "CallbacksRefused", "CallbacksDuplicate", "ReconciliationPolls", "OrphansFound",
                "OrphansDeleted", "PendingErasures", "OldestPendingErasureAge", "PendingOrphans",
                "TaskCompletionsSent", "TaskCompletionFailures")) {
            assertThat(json).as("the dashboard shows " + metric).contains(metric);
        }
        for (String alarm : ALARMS.keySet()) {
            assertThat(json).as("the alarm widget shows " + alarm).contains("${" + alarm + ".Arn}");
        }
    }

}
