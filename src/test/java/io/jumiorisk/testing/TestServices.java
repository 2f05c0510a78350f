package io.jumiorisk.testing;

import java.util.Map;
import java.util.UUID;

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

    private static MotoServer moto;
    private static JumioSimulator simulator;
    private static DynamoDbClient dynamo;

    private TestServices() {
    }

    public static synchronized MotoServer moto() {
        if (moto == null) {
            moto = MotoServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(moto::close));
            createTable();
        }
        return moto;
    }

    public static synchronized JumioSimulator simulator() {
        if (simulator == null) {
            simulator = new JumioSimulator().start();
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        }
        return simulator;
    }

    /** Where the simulator sends callbacks; nothing listens here until the callback tests start a gateway. */
    public static String callbackUrl() {
        return "http://127.0.0.1:1/callbacks/jumio";
    }

    public static synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = DynamoDbClient.builder()
                    .endpointOverride(java.net.URI.create(moto().endpoint()))
                    .region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return dynamo;
    }

    public static Map<String, AttributeValue> item(String pk) {
        Map<String, AttributeValue> item = dynamo().getItem(g -> g.tableName(TABLE)
                .key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
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
