package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.errors.InvalidRequest.FieldError;
import io.jumiorisk.testing.StubJumioConfig;

class RequestParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAIN_TEXT_RULE = "must not contain control characters, unpaired surrogates or "
            + "bidirectional overrides";

    private final RequestParser parser = new RequestParser(StubJumioConfig.defaults());

    /** The smallest valid request: a reference, a workflow key and one prepared-data field. */
    private static ObjectNode minimal() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("customerInternalReference", "txn-1");
        body.put("workflowDefinitionKey", 10066);
        body.putObject("preparedData").put("email", "jane@example.com");
        return body;
    }

    private static ObjectNode minimal(Consumer<ObjectNode> change) {
        ObjectNode body = minimal();
        change.accept(body);
        return body;
    }

    /** {@link #minimal()} with one prepared-data field set. */
    private static ObjectNode withData(String field, String value) {
        return minimal(b -> ((ObjectNode) b.get("preparedData")).put(field, value));
    }

    /** {@link #minimal()} with one field of a nested prepared-data object set. */
    private static ObjectNode withNested(String object, String field, String value) {
        return minimal(b -> ((ObjectNode) b.get("preparedData")).putObject(object).put(field, value));
    }

    /** The errors, field to message, that parsing {@code body} gives; fails when it parses. */
    private Map<String, String> errors(JsonNode body) {
        try {
            parser.parse(body, Set.of());
        } catch (InvalidRequest e) {
            Map<String, String> byField = new LinkedHashMap<>();
            for (FieldError error : e.errors()) {
                byField.merge(error.field(), error.message(), (a, b) -> a + " | " + b);
            }
            return byField;
        }
        return fail("parsed, although it should not: " + body);
    }

    private InvalidRequest refusal(JsonNode body) {
        try {
            parser.parse(body, Set.of());
        } catch (InvalidRequest e) {
            return e;
        }
        return fail("parsed, although it should not: " + body);
    }

    private CheckRequest parse(JsonNode body) {
        return parser.parse(body, Set.of());
    }

    // ------------------------------------------------------------------------------------------------ valid

    @Test
    void aMinimalRequestParses() {
        ObjectNode body = minimal();

        CheckRequest request = parse(body);

        assertThat(request.customerInternalReference()).isEqualTo("txn-1");
        assertThat(request.userReference()).isNull();
        assertThat(request.workflowKey()).isEqualTo("10066");
        assertThat(request.accountId()).isNull();
        assertThat(request.preparedData()).isEqualTo(body.get("preparedData"));
    }

    @Test
    void aRequestUsingEveryFieldParses() throws Exception {
        String dayAfterTomorrow = LocalDate.now().plusDays(2).toString();
        JsonNode body = JSON.readTree("""
                {"customerInternalReference":"txn-2","userReference":"user-42","workflowDefinitionKey":"ekyc_flow-1",
                 "accountId":"3fa85f64-5717-4562-b3fc-2c963f66afa6",
                 "preparedData":{"firstName":"Jane","middleName":"Q","lastName":"Doe","suffix":"Jr.",
                   "paternalSurname":"García","maternalSurname":"López","sex":"F","dateOfBirth":"1990-02-28",
                   "socialSecurityNumber":"123456789","nationality":"USA","email":"jane.doe+risk@example.co.uk",
                   "phoneNumber":"+14155550100","phoneNumber2":"+442071838750","personalNumber":"P-123",
                   "ipAddress":"2001:db8::1",
                   "address":{"line1":"1 Main St","line2":"Apt 2","line3":"c/o X","line4":"-","line5":"-",
                     "postalCode":"12345","city":"Springfield","subdivision":"IL","country":"US"},
                   "id":{"idNumber":"X1234567","type":"PASSPORT","issuingDate":"2020-01-01","expiryDate":"%s"},
                   "kyc":{"registrationDate":"2024-02-29","registrationIpAddress":"198.51.100.23"}}}"""
                .formatted(dayAfterTomorrow));

        CheckRequest request = parse(body);

        assertThat(request.customerInternalReference()).isEqualTo("txn-2");
        assertThat(request.userReference()).isEqualTo("user-42");
        assertThat(request.workflowKey()).isEqualTo("ekyc_flow-1");
        assertThat(request.accountId()).isEqualTo("3fa85f64-5717-4562-b3fc-2c963f66afa6");
        assertThat(request.preparedData()).isEqualTo(body.get("preparedData"));
    }

    // ------------------------------------------------------------------------------------------------ required

    @Test
    void theBodyMustBeAnObject() {
        for (JsonNode body : List.of(JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.textNode("x"),
                JsonNodeFactory.instance.nullNode())) {
            assertThat(errors(body)).as(body.toString()).containsExactly(Map.entry("body", "must be a JSON object"));
        }
        assertThatThrownBy(() -> parser.parse(null, Set.of())).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void requiredFieldsAreReportedWhenMissingOrNull() {
        assertThat(errors(JsonNodeFactory.instance.objectNode())).containsOnly(
                Map.entry("customerInternalReference", "is required"),
                Map.entry("workflowDefinitionKey", "is required (no JUMIO_WORKFLOW_KEY default is configured)"),
                Map.entry("preparedData", "is required"));
        ObjectNode nulls = JsonNodeFactory.instance.objectNode();
        nulls.putNull("customerInternalReference");
        nulls.putNull("workflowDefinitionKey");
        nulls.putNull("preparedData");
        assertThat(errors(nulls)).containsOnlyKeys("customerInternalReference", "workflowDefinitionKey",
                "preparedData");
    }

    @Test
    void theConfiguredWorkflowKeyIsTheDefaultUnlessBlank() {
        ObjectNode body = minimal(b -> b.remove("workflowDefinitionKey"));

        assertThat(new RequestParser(StubJumioConfig.defaults().withWorkflowKey("10148")).parse(body, Set.of())
                .workflowKey()).isEqualTo("10148");
        assertThatThrownBy(() -> new RequestParser(StubJumioConfig.defaults().withWorkflowKey("  ")).parse(body,
                Set.of())).isInstanceOf(InvalidRequest.class).hasMessageContaining("workflowDefinitionKey");
        // A key in the request wins over the default.
        assertThat(new RequestParser(StubJumioConfig.defaults().withWorkflowKey("10148")).parse(minimal(), Set.of())
                .workflowKey()).isEqualTo("10066");
    }

    @Test
    void workflowKeysArePositiveIntegersOrShortWords() {
        assertThat(parse(minimal(b -> b.put("workflowDefinitionKey", 1))).workflowKey()).isEqualTo("1");
        assertThat(parse(minimal(b -> b.put("workflowDefinitionKey", Long.MAX_VALUE))).workflowKey())
                .isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(parse(minimal(b -> b.put("workflowDefinitionKey", "A-z_9"))).workflowKey()).isEqualTo("A-z_9");
        assertThat(parse(minimal(b -> b.put("workflowDefinitionKey", "k".repeat(64)))).workflowKey()).hasSize(64);

        List<Consumer<ObjectNode>> bad = List.of(
                b -> b.put("workflowDefinitionKey", 0),
                b -> b.put("workflowDefinitionKey", -10066),
                b -> b.put("workflowDefinitionKey", 10066.5),
                b -> b.put("workflowDefinitionKey", 10066.0),
                b -> b.put("workflowDefinitionKey", true),
                b -> b.put("workflowDefinitionKey", ""),
                b -> b.put("workflowDefinitionKey", "ekyc flow"),
                b -> b.put("workflowDefinitionKey", "k".repeat(65)),
                b -> b.putObject("workflowDefinitionKey"));
        for (Consumer<ObjectNode> change : bad) {
            assertThat(errors(minimal(change))).as(minimal(change).toString())
                    .containsExactly(Map.entry("workflowDefinitionKey",
                            "must be a positive integer or a key of letters, digits, '-' and '_'"));
        }
    }

    @Test
    void aWorkflowKeyBeyondTheLongRangeIsRefusedRatherThanWrapped() {
        ObjectNode body = minimal(b -> b.put("workflowDefinitionKey", BigInteger.TWO.pow(64).add(BigInteger.ONE)));

        assertThat(errors(body)).containsOnlyKeys("workflowDefinitionKey");
    }

    @Test
    void accountIdsAreUuids() {
        assertThat(parse(minimal(b -> b.put("accountId", "3FA85F64-5717-4562-B3FC-2C963F66AFA6"))).accountId())
                .isEqualTo("3FA85F64-5717-4562-B3FC-2C963F66AFA6");
        assertThat(parse(minimal(b -> b.putNull("accountId"))).accountId()).isNull();
        for (Consumer<ObjectNode> change : List.<Consumer<ObjectNode>>of(b -> b.put("accountId", "acc-1"),
                b -> b.put("accountId", "3fa85f64-5717-4562-b3fc-2c963f66afa"), b -> b.put("accountId", 42))) {
            assertThat(errors(minimal(change))).containsExactly(
                    Map.entry("accountId", "must be a Jumio account id (UUID)"));
        }
    }

    @Test
    void preparedDataMustBeANonEmptyObject() {
        for (Consumer<ObjectNode> change : List.<Consumer<ObjectNode>>of(b -> b.putObject("preparedData"),
                b -> b.putArray("preparedData").add("x"), b -> b.put("preparedData", "jane@example.com"))) {
            assertThat(errors(minimal(change))).containsExactly(
                    Map.entry("preparedData", "must be a non-empty JSON object"));
        }
    }

    // ------------------------------------------------------------------------------------------------ references

    @Test
    void referencesAreStringsOf1To100Characters() {
        assertThat(parse(minimal(b -> b.put("customerInternalReference", "r".repeat(100))))
                .customerInternalReference()).hasSize(100);
        // Characters, not UTF-16 units: 100 emoji are 200 chars.
        assertThat(parse(minimal(b -> b.put("userReference", "😀".repeat(100)))).userReference()).hasSize(200);

        assertThat(errors(minimal(b -> b.put("customerInternalReference", "r".repeat(101))))).containsExactly(
                Map.entry("customerInternalReference", "must be 1 to 100 characters long"));
        assertThat(errors(minimal(b -> b.put("userReference", "😀".repeat(101))))).containsExactly(
                Map.entry("userReference", "must be 1 to 100 characters long"));
        assertThat(errors(minimal(b -> b.put("customerInternalReference", ""))))
                .containsOnlyKeys("customerInternalReference");
        assertThat(errors(minimal(b -> b.put("userReference", 42)))).containsExactly(
                Map.entry("userReference", "must be a string"));
        assertThat(errors(minimal(b -> b.putArray("customerInternalReference").add("txn-1")))).containsExactly(
                Map.entry("customerInternalReference", "must be a string"));
    }

    @Test
    void everyCharacterJumioForbidsInReferencesIsRefused() {
        for (char c : "<>\"/;`%{}|".toCharArray()) {
            assertThat(errors(minimal(b -> b.put("customerInternalReference", "txn" + c + "1")))).as("%s", c)
                    .containsExactly(Map.entry("customerInternalReference", "must not contain any of <>\"/;`%{}|"));
            assertThat(errors(minimal(b -> b.put("userReference", c + "user")))).as("%s", c)
                    .containsOnlyKeys("userReference");
        }
        assertThat(parse(minimal(b -> b.put("customerInternalReference", "txn-1_a.b:c@d+e=f(g)[h]!~*'#$&^?,")))
                .customerInternalReference()).isEqualTo("txn-1_a.b:c@d+e=f(g)[h]!~*'#$&^?,");
    }

    // ------------------------------------------------------------------------------------------------ prepared data

    @Test
    void namesAreLimitedTo100CharactersAndRefuseJumiosForbiddenCharacters() {
        for (String name : List.of("firstName", "middleName", "lastName", "paternalSurname", "maternalSurname")) {
            assertThat(parse(withData(name, "n".repeat(100))).preparedData().get(name).asText()).hasSize(100);
            assertThat(errors(withData(name, "n".repeat(101)))).containsExactly(
                    Map.entry("preparedData." + name, "must be 1 to 100 characters long"));
            assertThat(errors(withData(name, ""))).containsOnlyKeys("preparedData." + name);
            for (char c : "<>\"/;%|".toCharArray()) {
                assertThat(errors(withData(name, "Ja" + c + "ne"))).as(name + " %s", c).containsExactly(
                        Map.entry("preparedData." + name, "must not contain any of <>\"/;%|"));
            }
        }
        assertThat(errors(withData("suffix", "s".repeat(101)))).containsOnlyKeys("preparedData.suffix");
        assertThat(errors(withData("personalNumber", "p".repeat(101)))).containsOnlyKeys(
                "preparedData.personalNumber");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane@example.com", "jane.doe+tag@sub.example.co.uk", "o'brien@example.ie",
            "x_y-z@a-b.example", "JANE@EXAMPLE.COM", "a@b.cd"})
    void emailAddressesThatParse(String email) {
        assertThat(parse(withData("email", email)).preparedData().get("email").asText()).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane", "jane@", "@example.com", "jane@example", "jane@@example.com", ".jane@example.com",
            "jane.@example.com", "jane..doe@example.com", "jane@example.c0m", "jane@-example.com",
            "jane doe@example.com",
            "jane@example.com.", "jané@example.com"})
    void emailAddressesThatDoNot(String email) {
        assertThat(errors(withData("email", email))).containsExactly(
                Map.entry("preparedData.email", "must be an email address"));
    }

    @Test
    void emailsAreAtMost254CharactersAndRefuseForbiddenCharacters() {
        String label = "b".repeat(60) + ".";
        String longest = "a".repeat(64) + "@" + label.repeat(3) + "aa.com";
        assertThat(longest).hasSize(254);
        assertThat(parse(withData("email", longest)).preparedData().get("email").asText()).isEqualTo(longest);
        assertThat(errors(withData("email", "a" + longest))).containsExactly(
                Map.entry("preparedData.email", "must be 3 to 254 characters long"));
        // '|' and '%' pass the address syntax but are among the characters Jumio forbids.
        assertThat(errors(withData("email", "ja|ne@example.com"))).containsExactly(
                Map.entry("preparedData.email", "must not contain any of <>\"/;%|"));
    }

    @Test
    void phoneNumbersAreE164() {
        for (String phone : List.of("+14155550100", "+1234567", "+123456789012345", "+442071838750")) {
            assertThat(parse(withData("phoneNumber", phone)).preparedData().get("phoneNumber").asText())
                    .isEqualTo(phone);
            assertThat(parse(withData("phoneNumber2", phone)).preparedData().get("phoneNumber2").asText())
                    .isEqualTo(phone);
        }
        for (String phone : List.of("14155550100", "+04155550100", "+1 415 555 0100", "+1-415-555-0100", "+123456",
                "+1234567890123456", "+1415555010a", "tel:+14155550100", "+")) {
            String message = "must be an E.164 phone number with country code, such as +14155550100";
            assertThat(errors(withData("phoneNumber", phone))).as(phone)
                    .containsEntry("preparedData.phoneNumber", message);
            assertThat(errors(withData("phoneNumber2", phone))).as(phone)
                    .containsEntry("preparedData.phoneNumber2", message);
        }
    }

    @Test
    void datesAreIsoCalendarDatesAndBirthOrRegistrationNotInTheFuture() {
        String future = LocalDate.now().plusDays(2).toString();
        assertThat(parse(withData("dateOfBirth", "2000-02-29")).preparedData().get("dateOfBirth").asText())
                .isEqualTo("2000-02-29");
        assertThat(parse(withData("dateOfBirth", LocalDate.now().minusDays(1).toString()))).isNotNull();
        for (String date : List.of("2001-02-29", "1990-13-01", "1990-04-31", "1990-4-12", "12.04.1990", "19900412",
                "1990-04-12T00:00:00Z", "")) {
            assertThat(errors(withData("dateOfBirth", date))).as(date).containsExactly(
                    Map.entry("preparedData.dateOfBirth", "must be a date as YYYY-MM-DD"));
        }
        assertThat(errors(withData("dateOfBirth", future))).containsExactly(
                Map.entry("preparedData.dateOfBirth", "must not be in the future"));
        assertThat(errors(withNested("kyc", "registrationDate", future))).containsExactly(
                Map.entry("preparedData.kyc.registrationDate", "must not be in the future"));
        // An id may expire, or have been issued, on any day.
        assertThat(parse(withNested("id", "expiryDate", future))).isNotNull();
        assertThat(errors(withNested("id", "issuingDate", "2020-02-30"))).containsExactly(
                Map.entry("preparedData.id.issuingDate", "must be a date as YYYY-MM-DD"));
    }

    @Test
    void socialSecurityNumbersAre4Or9Digits() {
        assertThat(parse(withData("socialSecurityNumber", "1234"))).isNotNull();
        assertThat(parse(withData("socialSecurityNumber", "123456789"))).isNotNull();
        for (String ssn : List.of("123", "12345", "12345678", "1234567890", "123-45-6789", "12345678a", "１２３４")) {
            assertThat(errors(withData("socialSecurityNumber", ssn))).as(ssn).containsExactly(
                    Map.entry("preparedData.socialSecurityNumber", "must be 4 or 9 digits"));
        }
    }

    @Test
    void countriesAreIsoAlpha3OrAlpha2InCapitals() {
        for (String country : List.of("USA", "US", "DEU", "DE", "GBR", "GB", "SGP")) {
            assertThat(parse(withData("nationality", country))).as(country).isNotNull();
            assertThat(parse(withNested("address", "country", country))).as(country).isNotNull();
        }
        String message = "must be an ISO 3166 country code (alpha-3 such as USA, or alpha-2)";
        for (String country : List.of("usa", "us", "XXX", "XX", "U", "USAA", "EU", "840", "U S")) {
            assertThat(errors(withData("nationality", country))).as(country).containsExactly(
                    Map.entry("preparedData.nationality", message));
            assertThat(errors(withNested("address", "country", country))).as(country).containsExactly(
                    Map.entry("preparedData.address.country", message));
        }
    }

    @Test
    void ipAddressesAreIpv4OrIpv6Literals() {
        for (String ip : List.of("198.51.100.23", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::1", "fe80::1",
                "2001:0DB8:0000:0000:0000:0000:0000:0001")) {
            assertThat(parse(withData("ipAddress", ip))).as(ip).isNotNull();
            assertThat(parse(withNested("kyc", "registrationIpAddress", ip))).as(ip).isNotNull();
        }
        for (String ip : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "localhost",
                "example.com", "2001:db8::g", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "[::1]", "cafe")) {
            assertThat(errors(withData("ipAddress", ip))).as(ip).containsExactly(
                    Map.entry("preparedData.ipAddress", "must be an IPv4 or IPv6 address"));
            assertThat(errors(withNested("kyc", "registrationIpAddress", ip))).as(ip).containsExactly(
                    Map.entry("preparedData.kyc.registrationIpAddress", "must be an IPv4 or IPv6 address"));
        }
    }

    @Test
    void anIpv4MappedIpv6AddressIsAnIpv6Address() {
        assertThat(parse(withData("ipAddress", "::ffff:198.51.100.23"))).isNotNull();
        assertThat(parse(withNested("kyc", "registrationIpAddress", "::ffff:198.51.100.23"))).isNotNull();
    }

    @Test
    void nestedObjectsTakeTheirOwnFieldsAsStringsOfAtMost255Characters() {
        assertThat(parse(withNested("address", "line1", "l".repeat(255)))).isNotNull();
        assertThat(errors(withNested("address", "line1", "l".repeat(256)))).containsExactly(
                Map.entry("preparedData.address.line1", "must be 1 to 255 characters long"));
        assertThat(errors(withNested("address", "city", ""))).containsOnlyKeys("preparedData.address.city");
        assertThat(errors(withNested("address", "street", "1 Main St"))).containsExactly(
                Map.entry("preparedData.address.street", "is not a known field"));
        assertThat(errors(withNested("kyc", "email", "jane@example.com"))).containsExactly(
                Map.entry("preparedData.kyc.email", "is not a known field"));
        assertThat(errors(minimal(b -> ((ObjectNode) b.get("preparedData")).putObject("id").put("idNumber", 42))))
                .containsExactly(Map.entry("preparedData.id.idNumber", "must be a string"));
        for (String object : List.of("address", "id", "kyc")) {
            assertThat(errors(withData(object, "x"))).containsExactly(
                    Map.entry("preparedData." + object, "must be a JSON object"));
        }
        for (String type : List.of("PASSPORT", "DRIVING_LICENSE", "DRIVER_LICENSE", "ID_CARD")) {
            assertThat(parse(withNested("id", "type", type))).isNotNull();
        }
        for (String type : List.of("passport", "VISA", "")) {
            assertThat(errors(withNested("id", "type", type)).get("preparedData.id.type"))
                    .contains("must be one of DRIVER_LICENSE, DRIVING_LICENSE, ID_CARD, PASSPORT");
        }
    }

    @Test
    void scalarPreparedDataMustBeStrings() {
        assertThat(errors(minimal(b -> ((ObjectNode) b.get("preparedData")).put("phoneNumber", 14155550100L))))
                .containsExactly(Map.entry("preparedData.phoneNumber", "must be a string"));
        assertThat(errors(minimal(b -> ((ObjectNode) b.get("preparedData")).putNull("firstName"))))
                .containsExactly(Map.entry("preparedData.firstName", "must be a string"));
    }

    // ------------------------------------------------------------------------------------------------ unknown

    @Test
    void unknownFieldsAreRefusedUnlessTheEventSourceAddsThem() {
        assertThat(errors(minimal(b -> b.put("callbackUrl", "https://evil.example.com")))).containsExactly(
                Map.entry("callbackUrl", "is not a known field"));
        assertThat(errors(withData("favouriteColour", "blue"))).containsExactly(
                Map.entry("preparedData.favouriteColour", "is not a known prepared-data field"));

        ObjectNode withToken = minimal(b -> b.put("taskToken", "AQB..."));
        assertThat(errors(withToken)).containsExactly(Map.entry("taskToken", "is not a known field"));
        assertThat(parser.parse(withToken, Set.of("taskToken")).customerInternalReference()).isEqualTo("txn-1");
    }

    @Test
    void unknownFieldNamesAreEchoedOnlyAsShortPrintableText() {
        Map<String, String> errors = errors(minimal(b -> {
            b.put("<script>alert(1)</script>", "x");
            b.put("n".repeat(60), "x");
            b.put("line\nbreak", "x");
        }));

        assertThat(errors).containsOnlyKeys("?script?alert?1???script?", "n".repeat(40) + "...", "line?break");
    }

    // ------------------------------------------------------------------------------------------------ text

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\n", "\r", "\t", "\u001b", "\u007f", "\u0085", "\u009b", "\ud83d", "\ude00",
            "\ude00\ud83d", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
            "\u2069"})
    void controlCharactersUnpairedSurrogatesAndBidiOverridesAreRefusedEverywhere(String bad) {
        String value = "ab" + bad + "cd";
        assertThat(errors(minimal(b -> b.put("customerInternalReference", value)))).containsExactly(
                Map.entry("customerInternalReference", PLAIN_TEXT_RULE));
        assertThat(errors(minimal(b -> b.put("userReference", value)))).containsExactly(
                Map.entry("userReference", PLAIN_TEXT_RULE));
        assertThat(errors(withData("lastName", value))).containsExactly(
                Map.entry("preparedData.lastName", PLAIN_TEXT_RULE));
        assertThat(errors(withData("personalNumber", value))).containsExactly(
                Map.entry("preparedData.personalNumber", PLAIN_TEXT_RULE));
        assertThat(errors(withNested("address", "city", value))).containsExactly(
                Map.entry("preparedData.address.city", PLAIN_TEXT_RULE));
        assertThat(errors(withData("email", "ja" + bad + "ne@example.com"))).containsExactly(
                Map.entry("preparedData.email", PLAIN_TEXT_RULE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"محمد", "כהן", "Zoë", "Jose\u0301", "李小龍", "👩‍👩‍👧‍👦", "🇺🇸", "Ελένη", "O'Brien-Smith",
            "Анна\u200f"})
    void rightToLeftScriptsCombiningMarksAndEmojiAreAccepted(String name) {
        CheckRequest request = parse(minimal(b -> {
            b.put("userReference", name);
            ObjectNode data = (ObjectNode) b.get("preparedData");
            data.put("firstName", name);
            data.putObject("address").put("city", name);
        }));

        assertThat(request.userReference()).isEqualTo(name);
        assertThat(request.preparedData().get("firstName").asText()).isEqualTo(name);
        assertThat(request.preparedData().path("address").path("city").asText()).isEqualTo(name);
    }

    // ------------------------------------------------------------------------------------------------ reporting

    @Test
    void everyOffendingFieldIsReportedAtOnce() throws Exception {
        JsonNode body = JSON.readTree("""
                {"customerInternalReference":"txn;1","userReference":"","workflowDefinitionKey":-1,
                 "accountId":"nope","unknown":1,
                 "preparedData":{"email":"not-an-email","phoneNumber":"555","dateOfBirth":"1990-02-30",
                   "socialSecurityNumber":"12","nationality":"XX","ipAddress":"300.1.1.1","shoeSize":"44",
                   "address":{"country":"ZZZ","street":"x"},"id":{"type":"VISA"},
                   "kyc":{"registrationIpAddress":"x"}}}""");

        assertThat(errors(body)).containsOnlyKeys("unknown", "customerInternalReference", "userReference",
                "workflowDefinitionKey", "accountId", "preparedData.email", "preparedData.phoneNumber",
                "preparedData.dateOfBirth", "preparedData.socialSecurityNumber", "preparedData.nationality",
                "preparedData.ipAddress", "preparedData.shoeSize", "preparedData.address.country",
                "preparedData.address.street", "preparedData.id.type", "preparedData.kyc.registrationIpAddress");
    }

    @Test
    void messagesNeverQuoteTheOffendingValue() throws Exception {
        String marker = "Zq7Leak";
        JsonNode body = JSON.readTree("""
                {"customerInternalReference":"%1$s;","userReference":"%1$s/","workflowDefinitionKey":"%1$s!",
                 "accountId":"%1$s",
                 "preparedData":{"email":"%1$s@","phoneNumber":"+1%1$s","dateOfBirth":"%1$s",
                   "socialSecurityNumber":"%1$s","nationality":"%1$s","ipAddress":"%1$s","firstName":"%1$s<",
                   "lastName":"%1$s\\u0000","middleName":"%2$s",
                   "address":{"country":"%1$s","line1":"%2$s"},"id":{"type":"%1$s","expiryDate":"%1$s"},
                   "kyc":{"registrationDate":"%1$s","registrationIpAddress":"%1$s"}}}"""
                .formatted(marker, marker.repeat(40)));

        InvalidRequest refused = refusal(body);

        assertThat(refused.errors()).hasSizeGreaterThanOrEqualTo(18);
        assertThat(refused.getMessage()).doesNotContain(marker);
        for (FieldError error : refused.errors()) {
            assertThat(error.field() + " " + error.message()).doesNotContain(marker);
        }
    }
}
