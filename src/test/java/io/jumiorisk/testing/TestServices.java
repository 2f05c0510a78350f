package io.jumiorisk.testing;

import java.util.Map;
import java.util.UUID;

import io.jumiorisk.local.HttpApiGateway;
import io.jumiorisk.local.InvocationResult;
import io.jumiorisk.sim.JumioSimulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The real services the tests run against, one of each per test JVM: moto_server (DynamoDB and Step Functions) and
 * the Jumio simulator. Both are stopped when the JVM exits.
 */
public final class TestServices {
    public static final String TABLE = "jumio-checks-test";
    public static final String REGION = "us-east-1";
    public static final String CALLBACK_TOKEN = "cb-" + UUID.randomUUID().toString().replace("-", "");
    /** The key of the table's keyed hashes and sealed tokens (DATA_KEY). */
    public static final String DATA_KEY = "dk-" + UUID.randomUUID().toString().replace("-", "");

    private static MotoServer moto;
    private static JumioSimulator simulator;
    private static DynamoDbClient dynamo;
    private static HttpApiGateway gateway;
    private static AwsProxy sfn;
    private static AwsProxy dynamodb;
    private static final java.net.http.HttpClient EVENT_SERVER = java.net.http.HttpClient.newHttpClient();
    /** Quarkus's mock Lambda event server, where REST Assured sends events too. */
    private static final int EVENT_SERVER_PORT = Integer.getInteger("quarkus.lambda.mock-event-server.test-port", 8081);

    private TestServices() {
    }

    public static synchronized MotoServer moto() {
        if (moto == null) {
            moto = MotoServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(moto::close));
            createTable();
            RunRecord.add(RunRecord.DYNAMODB_ENDPOINTS, moto.endpoint());
            RunRecord.add(RunRecord.CALLBACK_SECRETS, CALLBACK_TOKEN);
            RunRecord.add(RunRecord.SECRETS, CALLBACK_TOKEN);
            RunRecord.add(RunRecord.SECRETS, DATA_KEY);
        }
        return moto;
    }

    /** The recording proxy that the product's Step Functions client talks to. */
    public static synchronized AwsProxy sfn() {
        if (sfn == null) {
            sfn = new AwsProxy(moto().endpoint(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(sfn::close));
        }
        return sfn;
    }

    /** The proxy that the product's DynamoDB client talks to; it records nothing, but can refuse writes. */
    public static synchronized AwsProxy dynamodb() {
        if (dynamodb == null) {
            dynamodb = new AwsProxy(moto().endpoint(), false);
            Runtime.getRuntime().addShutdownHook(new Thread(dynamodb::close));
        }
        return dynamodb;
    }

    public static synchronized JumioSimulator simulator() {
        if (simulator == null) {
            simulator = new JumioSimulator().start();
            simulator.onTokenIssued(token -> RunRecord.add(RunRecord.ISSUED_TOKENS, token));
            RunRecord.add(RunRecord.SECRETS, simulator.clientSecret());
            RunRecord.add(RunRecord.SECRETS, simulator.eraserClientSecret());
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        }
        return simulator;
    }

    /** A Step Functions task token handed to the product: the table may hold it only sealed. */
    public static void handedTaskToken(String token) {
        RunRecord.add(RunRecord.TASK_TOKENS, token);
    }

    /** The callback URL the product gives Jumio for {@code checkId}: the check's id and its key under the secret. */
    public static String callbackUrlFor(String checkId, String secret) {
        return callbackUrl() + "?check=" + checkId + "&sig=" + io.jumiorisk.callback.CallbackKeys.sign(secret, checkId);
    }

    /**
     * Where the simulator sends callbacks: an API Gateway stand-in that turns them into HTTP API events for whichever
     * handler the running test profile serves.
     */
    public static synchronized String callbackUrl() {
        if (gateway == null) {
            try {
                gateway = new HttpApiGateway(TestServices::invokeUnderTest).start(0);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::close));
        }
        return gateway.baseUrl() + "/callbacks/jumio";
    }

    /** Hands an event to the function under test through Quarkus's Lambda event server. */
    private static InvocationResult invokeUnderTest(String function, String eventJson) {
        try {
            java.net.http.HttpResponse<String> r = EVENT_SERVER.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://localhost:" + EVENT_SERVER_PORT + "/_lambda_"))
                    .header("content-type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(eventJson)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    ? InvocationResult.success(r.body())
                    : InvocationResult.error("Unhandled", r.body());
        } catch (java.io.IOException e) {
            return InvocationResult.timeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return InvocationResult.timeout();
        }
    }

    public static synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = dynamo(moto().endpoint());
        }
        return dynamo;
    }

    /** A client of the DynamoDB-compatible server at {@code endpoint}, as the tests configure every one. */
    public static DynamoDbClient dynamo(String endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(endpoint))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static Map<String, AttributeValue> item(String pk) {
        Map<String, AttributeValue> item = dynamo().getItem(g -> g.tableName(TABLE)
                .key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** Every item, for "nothing was written" assertions. */
    public static java.util.List<Map<String, AttributeValue>> allItems() {
        java.util.List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
        dynamo().scanPaginator(s -> s.tableName(TABLE).consistentRead(true)).items().forEach(items::add);
        items.sort(java.util.Comparator.comparing(i -> i.get("pk").s()));
        return items;
    }

    /** Waits for a condition that another thread (a simulator callback) brings about. */
    public static void await(String what, java.util.function.BooleanSupplier condition) {
        long until = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void createTable() {
        try {
            dynamo().createTable(t -> t.tableName(TABLE)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            dynamo().updateTimeToLive(t -> t.tableName(TABLE)
                    .timeToLiveSpecification(s -> s.attributeName("expiresAt").enabled(true)));
        } catch (ResourceInUseException e) {
            // created by an earlier profile in this JVM
        }
    }
}
