package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every rule, through the Lambda event path: 400 problem JSON naming the field, nothing stored, nothing sent. */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class InitiateValidationTest {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    static Stream<Arguments> invalidBodies() {
        String ref = "\"customerInternalReference\":\"txn-1\"";
        String key = "\"workflowDefinitionKey\":10066";
        return Stream.of(
                Arguments.of("reference missing", "{" + key + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "customerInternalReference"),
                Arguments.of("reference too long",
                        "{\"customerInternalReference\":\"" + "x".repeat(101) + "\"," + key
                                + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "customerInternalReference"),
                Arguments.of("reference forbidden char",
                        "{\"customerInternalReference\":\"txn{1}\"," + key
                                + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "customerInternalReference"),
                Arguments.of("reference backtick",
                        "{\"customerInternalReference\":\"txn`1\"," + key
                                + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "customerInternalReference"),
                Arguments.of("userReference forbidden char",
                        "{" + ref + ",\"userReference\":\"u/1\"," + key
                                + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "userReference"),
                Arguments.of("userReference empty",
                        "{" + ref + ",\"userReference\":\"\"," + key
                                + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "userReference"),
                Arguments.of("workflow key missing", "{" + ref + ",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "workflowDefinitionKey"),
                Arguments.of("workflow key negative",
                        "{" + ref + ",\"workflowDefinitionKey\":-3,\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "workflowDefinitionKey"),
                Arguments.of("accountId not a UUID",
                        "{" + ref + "," + key
                                + ",\"accountId\":\"abc\",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "accountId"),
                Arguments.of("preparedData missing", "{" + ref + "," + key + "}", "preparedData"),
                Arguments.of("preparedData empty", "{" + ref + "," + key + ",\"preparedData\":{}}", "preparedData"),
                Arguments.of("unknown top-level field",
                        "{" + ref + "," + key + ",\"colour\":\"red\",\"preparedData\":{\"email\":\"a@example.com\"}}",
                        "colour"),
                Arguments.of("unknown prepared field",
                        "{" + ref + "," + key + ",\"preparedData\":{\"mail\":\"a@example.com\"}}", "preparedData.mail"),
                Arguments.of("email syntax", "{" + ref + "," + key + ",\"preparedData\":{\"email\":\"not-an-email\"}}",
                        "preparedData.email"),
                Arguments.of("email forbidden char",
                        "{" + ref + "," + key + ",\"preparedData\":{\"email\":\"a%b@example.com\"}}",
                        "preparedData.email"),
                Arguments.of("phone not E.164",
                        "{" + ref + "," + key + ",\"preparedData\":{\"phoneNumber\":\"415-555-0100\"}}",
                        "preparedData.phoneNumber"),
                Arguments.of("phone without plus",
                        "{" + ref + "," + key + ",\"preparedData\":{\"phoneNumber\":\"14155550100\"}}",
                        "preparedData.phoneNumber"),
                Arguments.of("name forbidden char",
                        "{" + ref + "," + key + ",\"preparedData\":{\"firstName\":\"Ja<ne\"}}",
                        "preparedData.firstName"),
                Arguments.of("surname forbidden char",
                        "{" + ref + "," + key + ",\"preparedData\":{\"maternalSurname\":\"Ro;se\"}}",
                        "preparedData.maternalSurname"),
                Arguments.of("date format",
                        "{" + ref + "," + key + ",\"preparedData\":{\"dateOfBirth\":\"12/04/1990\"}}",
                        "preparedData.dateOfBirth"),
                Arguments.of("impossible date",
                        "{" + ref + "," + key + ",\"preparedData\":{\"dateOfBirth\":\"1990-02-30\"}}",
                        "preparedData.dateOfBirth"),
                Arguments.of("SSN length",
                        "{" + ref + "," + key + ",\"preparedData\":{\"socialSecurityNumber\":\"12345\"}}",
                        "preparedData.socialSecurityNumber"),
                Arguments.of("country code",
                        "{" + ref + "," + key + ",\"preparedData\":{\"address\":{\"country\":\"XYZ\"}}}",
                        "preparedData.address.country"),
                Arguments.of("nationality code",
                        "{" + ref + "," + key + ",\"preparedData\":{\"nationality\":\"Atlantis\"}}",
                        "preparedData.nationality"),
                Arguments.of("id type",
                        "{" + ref + "," + key
                                + ",\"preparedData\":{\"id\":{\"type\":\"LIBRARY_CARD\",\"idNumber\":\"1\"}}}",
                        "preparedData.id.type"),
                Arguments.of("ip address", "{" + ref + "," + key + ",\"preparedData\":{\"ipAddress\":\"300.1.1.1\"}}",
                        "preparedData.ipAddress"),
                Arguments.of("not a string", "{" + ref + "," + key + ",\"preparedData\":{\"email\":42}}",
                        "preparedData.email"),
                Arguments.of("not an object", "[1,2,3]", "body"),
                Arguments.of("malformed JSON", "{\"customerInternalReference\": ", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void eachRuleIsEnforcedBeforeAnythingHappens(String rule, String body, String field) {
        int itemsBefore = itemCount();

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(400);
        assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
        assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
        assertThat(fields(answer.body())).contains(field);
        assertThat(itemCount()).as("nothing stored").isEqualTo(itemsBefore);
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).as("nothing sent").isZero();
    }

    @Test
    void everyOffendingFieldIsNamedAtOnce() {
        String body = """
                {"customerInternalReference":"a|b","workflowDefinitionKey":10066,
                 "preparedData":{"email":"nope","phoneNumber":"123","dateOfBirth":"1990-13-01","socialSecurityNumber":"12",
                   "address":{"country":"Narnia"},"id":{"type":"BADGE"}}}""";
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(fields(answer.body())).contains("customerInternalReference", "preparedData.email",
                "preparedData.phoneNumber", "preparedData.dateOfBirth", "preparedData.socialSecurityNumber",
                "preparedData.address.country", "preparedData.id.type");
        assertThat(answer.rawBody()).as("values are not echoed").doesNotContain("nope", "Narnia", "BADGE",
                "1990-13-01");
    }

    @Test
    void valuesThatAreFineAtJumioPass() {
        String body = """
                {"customerInternalReference":"txn-%s","workflowDefinitionKey":"10148",
                 "preparedData":{"firstName":"Zoë","lastName":"O'Brien-Smith","phoneNumber":"+447911123456",
                   "ipAddress":"2001:db8::1","nationality":"DE","socialSecurityNumber":"1234",
                   "address":{"country":"DEU"},"id":{"type":"PASSPORT","idNumber":"C01X00T47"},
                   "kyc":{"registrationDate":"2024-02-29","registrationIpAddress":"192.0.2.1"}}}"""
                .formatted(java.util.UUID.randomUUID());
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
    }

    @Test
    void wrongContentTypeAndOversizedBodiesAreRefused() {
        Lambda.HttpAnswer text = Lambda
                .http(Events.postCheck(Checks.emailRisk(Checks.reference())).header("content-type", "text/plain"));
        assertThat(text.status()).isEqualTo(415);
        String huge = "{\"customerInternalReference\":\"txn-1\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(Lambda.http(Events.postCheck(huge)).status()).isEqualTo(413);
        assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())).header("idempotency-key", " "))
                .status())
                .isEqualTo(400);
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    private static java.util.List<String> fields(JsonNode problem) {
        java.util.List<String> names = new java.util.ArrayList<>();
        problem.path("errors").forEach(e -> names.add(e.path("field").asText()));
        return names;
    }

    private static int itemCount() {
        return TestServices.dynamo().scan(s -> s.tableName(TestServices.TABLE).select("COUNT")).count();
    }
}
