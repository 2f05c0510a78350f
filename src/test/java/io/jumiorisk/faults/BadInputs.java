package io.jumiorisk.faults;

import static io.jumiorisk.faults.Category.BAD_INPUT;
import static io.jumiorisk.faults.Scenario.Handler.CALLBACK;
import static io.jumiorisk.faults.Scenario.Handler.INITIATE;
import static io.jumiorisk.faults.Scenario.Handler.RETRIEVE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.check.CheckView;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.TestServices;

/** Every validation rule, malformed and oversized bodies, Unicode edge cases, injection-looking strings, headers. */
final class BadInputs {
    private static final String INVALID = "io.jumiorisk.errors.InvalidRequest";

    private BadInputs() {
    }

    /** A request body for {@code run}'s end user with {@code data} as its prepared data. */
    private static String withData(Run run, String data) {
        return "{\"customerInternalReference\":\"" + run.reference
                + "\",\"workflowDefinitionKey\":10066,\"preparedData\":"
                + data + "}";
    }

    private static String withTop(Run run, String topFields) {
        return "{" + topFields + ",\"preparedData\":{\"email\":\"" + run.email + "\"}}";
    }

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        String key = "\"workflowDefinitionKey\":10066";
        // ---- each validation rule
        s.add(rule("B01", "customerInternalReference missing", "customerInternalReference", r -> withTop(r, key)));
        s.add(rule("B02", "customerInternalReference of 101 characters", "customerInternalReference",
                r -> withTop(r, "\"customerInternalReference\":\"" + "x".repeat(101) + "\"," + key)));
        s.add(rule("B03", "customerInternalReference with { }", "customerInternalReference",
                r -> withTop(r, "\"customerInternalReference\":\"txn{" + r.lastName + "}\"," + key)));
        s.add(rule("B04", "customerInternalReference with a backtick", "customerInternalReference",
                r -> withTop(r, "\"customerInternalReference\":\"txn`" + r.lastName + "\"," + key)));
        s.add(rule("B05", "userReference with /", "userReference",
                r -> withTop(r, "\"customerInternalReference\":\"" + r.reference + "\",\"userReference\":\"u/"
                        + r.lastName + "\"," + key)));
        s.add(rule("B06", "userReference empty", "userReference",
                r -> withTop(r,
                        "\"customerInternalReference\":\"" + r.reference + "\",\"userReference\":\"\"," + key)));
        s.add(rule("B07", "workflowDefinitionKey missing", "workflowDefinitionKey",
                r -> withTop(r, "\"customerInternalReference\":\"" + r.reference + "\"")));
        s.add(rule("B08", "workflowDefinitionKey negative", "workflowDefinitionKey",
                r -> withTop(r, "\"customerInternalReference\":\"" + r.reference + "\",\"workflowDefinitionKey\":-3")));
        s.add(rule("B09", "accountId not a UUID", "accountId",
                r -> withTop(r,
                        "\"customerInternalReference\":\"" + r.reference + "\"," + key + ",\"accountId\":\"abc\"")));
        s.add(rule("B10", "preparedData missing", "preparedData",
                r -> "{\"customerInternalReference\":\"" + r.reference + "\"," + key + "}"));
        s.add(rule("B11", "preparedData empty", "preparedData", r -> withData(r, "{}")));
        s.add(rule("B12", "unknown top-level field", "colour",
                r -> withTop(r,
                        "\"customerInternalReference\":\"" + r.reference + "\"," + key + ",\"colour\":\"red\"")));
        s.add(rule("B13", "unknown prepared-data field", "preparedData.mail",
                r -> withData(r, "{\"mail\":\"" + r.email + "\"}")));
        s.add(rule("B14", "email without @", "preparedData.email",
                r -> withData(r, "{\"email\":\"" + r.lastName + ".example.com\"}")));
        s.add(rule("B15", "email with the forbidden %", "preparedData.email",
                r -> withData(r, "{\"email\":\"" + r.lastName + "%x@example.com\"}")));
        s.add(rule("B16", "email over 254 characters", "preparedData.email",
                r -> withData(r, "{\"email\":\"" + r.lastName + "x".repeat(250) + "@example.com\"}")));
        s.add(rule("B17", "phone number with dashes (not E.164)", "preparedData.phoneNumber",
                r -> withData(r, "{\"phoneNumber\":\"415-" + r.ssn + "\"}")));
        s.add(rule("B18", "phone number without +", "preparedData.phoneNumber",
                r -> withData(r, "{\"phoneNumber\":\"" + r.phone.substring(1) + "\"}")));
        s.add(rule("B19", "firstName with <", "preparedData.firstName",
                r -> withData(r, "{\"firstName\":\"" + r.firstName + "<\"}")));
        s.add(rule("B20", "maternalSurname with ;", "preparedData.maternalSurname",
                r -> withData(r, "{\"maternalSurname\":\"" + r.lastName + ";\"}")));
        s.add(rule("B21", "lastName of 101 characters", "preparedData.lastName",
                r -> withData(r, "{\"lastName\":\"" + r.lastName + "x".repeat(101) + "\"}")));
        s.add(rule("B22", "dateOfBirth as 12/04/1990", "preparedData.dateOfBirth",
                r -> withData(r, "{\"dateOfBirth\":\"12/04/1990\"}")));
        s.add(rule("B23", "dateOfBirth 1990-02-30 (no such day)", "preparedData.dateOfBirth",
                r -> withData(r, "{\"dateOfBirth\":\"1990-02-30\"}")));
        s.add(rule("B24", "dateOfBirth in the future", "preparedData.dateOfBirth",
                r -> withData(r, "{\"dateOfBirth\":\"" + java.time.LocalDate.now().plusDays(2) + "\"}")));
        s.add(rule("B25", "socialSecurityNumber of 5 digits", "preparedData.socialSecurityNumber",
                r -> withData(r, "{\"socialSecurityNumber\":\"" + r.ssn.substring(0, 5) + "\"}")));
        s.add(rule("B26", "address.country XYZ", "preparedData.address.country",
                r -> withData(r, "{\"address\":{\"line1\":\"" + r.lastName + " St\",\"country\":\"XYZ\"}}")));
        s.add(rule("B27", "nationality Atlantis", "preparedData.nationality",
                r -> withData(r, "{\"nationality\":\"Atlantis\",\"lastName\":\"" + r.lastName + "\"}")));
        s.add(rule("B28", "id.type LIBRARY_CARD", "preparedData.id.type",
                r -> withData(r, "{\"id\":{\"type\":\"LIBRARY_CARD\",\"idNumber\":\"" + r.idNumber + "\"}}")));
        s.add(rule("B29", "ipAddress 300.1.1.1", "preparedData.ipAddress",
                r -> withData(r, "{\"ipAddress\":\"300.1.1.1\",\"email\":\"" + r.email + "\"}")));
        s.add(rule("B30", "kyc.registrationDate in the future", "preparedData.kyc.registrationDate",
                r -> withData(r,
                        "{\"kyc\":{\"registrationDate\":\"" + java.time.LocalDate.now().plusDays(2) + "\"}}")));
        s.add(rule("B31", "email as a number", "preparedData.email", r -> withData(r, "{\"email\":42}")));
        // ---- malformed, empty, oversized, deeply nested
        s.add(rule("B32", "malformed JSON (truncated)", "body",
                r -> "{\"customerInternalReference\":\"" + r.reference + "\",\"preparedData\":{\"email\":\"" + r.email
                        + "\""));
        s.add(rule("B33", "a JSON array instead of an object", "body", r -> "[\"" + r.email + "\"]"));
        s.add(rule("B34", "an empty body", "body", r -> ""));
        s.add(status("B35", "a wrong content type (text/plain)", 415,
                r -> Events.postCheck(r.ekyc()).header("content-type", "text/plain")));
        s.add(status("B36", "an XML body as application/xml", 415,
                r -> Events.postCheck("<check><email>" + r.email + "</email></check>").header("content-type",
                        "application/xml")));
        s.add(status("B37", "a 1 MB body", 413,
                r -> Events.postCheck(
                        withData(r, "{\"email\":\"" + r.email + "\",\"pad\":\"" + "x".repeat(1_000_000) + "\"}"))));
        s.add(rule("B38", "JSON nested 20,000 levels deep", "body",
                r -> withData(r, "{\"address\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}")));
        s.add(rule("B39", "5,000 unknown fields", "preparedData.f0", r -> {
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < 5_000; i++) {
                b.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
            }
            return withData(r, b.append('}').toString());
        }));
        // ---- Unicode edge cases
        s.add(accepted("B40", "right-to-left names (Arabic, Hebrew)", "\"firstName\":\"مريم\",\"lastName\":\"כהן\""));
        s.add(accepted("B41", "combining marks (Zoe + U+0308, A + U+030A)",
                "\"firstName\":\"Zoe\\u0308\",\"lastName\":\"A\\u030Angstro\\u0308m\""));
        s.add(accepted("B42", "emoji in a name", "\"firstName\":\"Jane 😀\",\"lastName\":\"👩🏽‍💻\""));
        s.add(rule("B43", "NUL in a name", "preparedData.firstName",
                r -> withData(r, "{\"firstName\":\"" + r.firstName + "\\u0000x\"}")));
        s.add(rule("B44", "NUL in customerInternalReference", "customerInternalReference",
                r -> withTop(r, "\"customerInternalReference\":\"txn\\u0000" + r.lastName + "\"," + key)));
        s.add(rule("B45", "a right-to-left override (U+202E) in customerInternalReference", "customerInternalReference",
                r -> withTop(r, "\"customerInternalReference\":\"txn\\u202E" + r.lastName + "\"," + key)));
        s.add(rule("B46", "an unpaired surrogate (U+D800) in a name", "preparedData.lastName",
                r -> withData(r, "{\"lastName\":\"" + r.lastName + "\\uD800\"}")));
        // ---- injection-looking strings
        s.add(rule("B47", "a script tag in a name", "preparedData.lastName",
                r -> withData(r, "{\"lastName\":\"<script>alert('" + r.lastName + "')</script>\"}")));
        s.add(rule("B48", "a NoSQL operator object as the email", "preparedData.email",
                r -> withData(r, "{\"email\":{\"$ne\":null},\"lastName\":\"" + r.lastName + "\"}")));
        s.add(rule("B49", "a forged log line (CR LF) in userReference", "userReference",
                r -> withTop(r,
                        "\"customerInternalReference\":\"" + r.reference + "\",\"userReference\":\"u\\r\\nlevel=ERROR "
                                + r.lastName + "\"," + key)));
        s.add(rule("B50", "path traversal in customerInternalReference", "customerInternalReference",
                r -> withTop(r, "\"customerInternalReference\":\"../../" + r.lastName + "\"," + key)));
        s.add(rule("B51", "a DynamoDB key as workflowDefinitionKey", "workflowDefinitionKey",
                r -> withTop(r, "\"customerInternalReference\":\"" + r.reference
                        + "\",\"workflowDefinitionKey\":\"CHECK#x OR 1=1\"")));
        s.add(new Scenario("B52", BAD_INPUT, INITIATE, "SQL-looking but allowed reference (txn' OR '1'='1)",
                "202; the reference reaches Jumio verbatim and is stored nowhere", run -> {
                    String ref = "txn' OR '1'='1 " + run.lastName;
                    FaultScenarios.accepted(run, run.post(run.emailRisk(ref)));
                    run.sent(ref);
                }));
        // ---- Base64 bodies
        s.add(new Scenario("B53", BAD_INPUT, INITIATE, "a Base64-encoded body (isBase64Encoded)",
                "202, decoded like API Gateway does", run -> FaultScenarios.accepted(run,
                        run.http(Events.postCheck(run.ekyc()).base64Body()))));
        s.add(rule("B54", "Base64-encoded malformed JSON", "body", r -> null,
                r -> Events.postCheck("{\"email\":\"" + r.email + "\"").base64Body()));
        // ---- headers: missing, duplicated, out of range
        s.add(status("B55", "a blank Idempotency-Key", 400,
                r -> Events.postCheck(r.ekyc()).header("idempotency-key", " ")));
        s.add(status("B56", "an Idempotency-Key of 256 characters", 400,
                r -> Events.postCheck(r.ekyc()).header("idempotency-key", "k".repeat(256))));
        s.add(new Scenario("B57", BAD_INPUT, INITIATE, "no content-type header",
                "202: the body is JSON, which is what the route takes", run -> FaultScenarios.accepted(run,
                        run.http(Events.postCheck(run.ekyc()).withoutHeader("content-type")))));
        s.add(new Scenario("B58", BAD_INPUT, INITIATE,
                "Idempotency-Key sent twice (API Gateway joins them with a comma)",
                "202; the joined value is one key: the same pair again returns the same check, no second workflow",
                run -> {
                    String joined = "k1-" + run.reference + ",k2-" + run.reference;
                    Lambda.HttpAnswer first = FaultScenarios.accepted(run,
                            run.http(Events.postCheck(run.ekyc()).header("idempotency-key", joined)));
                    Lambda.HttpAnswer again = run.http(Events.postCheck(run.ekyc()).header("idempotency-key", joined));
                    assertThat(again.body().path("checkId").asText()).isEqualTo(first.body().path("checkId").asText());
                }));
        s.add(new Scenario("B59", BAD_INPUT, INITIATE, "the same key with another body",
                "409 IdempotencyConflict; nothing sent to Jumio", run -> {
                    FaultScenarios.accepted(run, run.post(run.ekyc()));
                    run.sim.resetCounts();
                    Lambda.HttpAnswer conflict = run.post(run.emailRisk());
                    assertThat(conflict.status()).isEqualTo(409);
                    assertThat(conflict.body().path("errorType").asText())
                            .isEqualTo("io.jumiorisk.errors.IdempotencyConflict");
                    assertThat(run.jumioCalls()).isZero();
                }));
        s.add(new Scenario("B60", BAD_INPUT, INITIATE, "direct invocation (Step Functions) with an invalid body",
                "Lambda error with errorType InvalidRequest; nothing stored or sent", run -> {
                    Lambda.Result result = run.direct(withData(run, "{\"email\":\"" + run.lastName + "\"}"));
                    assertThat(result.errorType()).isEqualTo(INVALID);
                    assertThat(run.jumioCalls()).isZero();
                }));
        s.add(new Scenario("B61", BAD_INPUT, INITIATE, "direct invocation with an empty taskToken",
                "Lambda error with errorType InvalidRequest", run -> {
                    String payload = run.ekyc().replaceFirst("\\{", "{\"taskToken\":\"\",");
                    assertThat(run.direct(payload).errorType()).isEqualTo(INVALID);
                    assertThat(run.jumioCalls()).isZero();
                }));
        // ---- retrieve
        s.add(read("B62", "GET with an upper-case check id", 400,
                r -> Events.getCheck(java.util.UUID.randomUUID().toString().toUpperCase())));
        s.add(read("B63", "GET with a key-injection check id (CHECK#... / ../)", 400,
                r -> Events.getCheck("..%2FCHECK%23" + r.lastName)));
        s.add(read("B64", "GET an unknown check id", 404,
                r -> Events.getCheck(java.util.UUID.randomUUID().toString())));
        s.add(read("B65", "GET with ?view=raw", 400,
                r -> Events.getCheck(java.util.UUID.randomUUID().toString()).query("view", "raw")));
        s.add(read("B66", "GET with a 10,000-character check id", 400, r -> Events.getCheck("a".repeat(10_000))));
        // ---- callback bodies (genuine source and token, bad body)
        s.add(callbackBody("B67", "callback: malformed JSON",
                v -> Run.callback(v, "PROCESSED").body("{\"workflowExecution\": {")));
        s.add(callbackBody("B68", "callback: a status not in Jumio's form (lower case, spaces)",
                v -> Run.callback(v, "in progress!")));
        s.add(callbackBody("B69", "callback: a body over 16 KB", v -> Run.callback(v, "PROCESSED").body(
                Run.callbackBody(v.workflowExecutionId(), v.accountId(), "PROCESSED").replaceFirst("\\{",
                        "{\"pad\":\"" + "x".repeat(20_000) + "\","))));
        s.add(new Scenario("B70", BAD_INPUT, CALLBACK, "callback: a status Jumio has not documented (REVIEW_DONE)",
                "200 (Jumio's advice: take every authentic callback); settled with one status request", run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    Run.await("Jumio to finish",
                            () -> "PROCESSED".equals(run.sim.workflowStatus(view.workflowExecutionId())));
                    run.sim.resetCounts();
                    assertThat(run.http(Run.callback(view, "REVIEW_DONE")).status()).isEqualTo(200);
                    assertThat(run.sim.count(Endpoint.STATUS)).isEqualTo(1);
                    assertThat(Run.status(view.checkId())).isEqualTo("PROCESSED");
                }));
        s.add(callbackBody("B71", "callback: no workflow id", v -> Run.callback(v, "PROCESSED")
                .body("{\"workflowExecution\":{\"status\":\"PROCESSED\"},\"account\":{\"id\":\"" + v.accountId()
                        + "\"}}")));
        s.add(callbackBody("B72", "callback: JSON nested 20,000 levels deep",
                v -> Run.callback(v, "PROCESSED").body("{\"a\":" + "[".repeat(7_000) + "]".repeat(7_000) + "}")));
        return s;
    }

    /** A body that breaks one rule: 400 InvalidRequest naming {@code field}, nothing stored, nothing sent. */
    private static Scenario rule(String id, String injected, String field, Function<Run, String> body) {
        return rule(id, injected, field, body, r -> Events.postCheck(body.apply(r)));
    }

    private static Scenario rule(String id, String injected, String field, Function<Run, String> body,
            Function<Run, Events> event) {
        return new Scenario(id, BAD_INPUT, INITIATE, injected,
                "400 InvalidRequest naming " + field + ", no value echoed; nothing stored or sent", run -> {
                    int before = itemCount();
                    Events e = event.apply(run);
                    Lambda.HttpAnswer answer = run.http(e);
                    assertThat(answer.status()).as(answer.rawBody()).isEqualTo(400);
                    assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
                    assertThat(answer.body().path("errorType").asText()).isEqualTo(INVALID);
                    List<String> fields = new ArrayList<>();
                    answer.body().path("errors").forEach(f -> fields.add(f.path("field").asText()));
                    assertThat(fields).contains(field);
                    for (String v : run.sentValues()) {
                        assertThat(answer.rawBody()).as("no value echoed").doesNotContain(v);
                    }
                    assertThat(itemCount()).as("nothing stored").isEqualTo(before);
                    assertThat(run.jumioCalls()).as("nothing sent").isZero();
                });
    }

    /** Refused with {@code status} before anything is stored or sent. */
    private static Scenario status(String id, String injected, int status, Function<Run, Events> event) {
        return new Scenario(id, BAD_INPUT, INITIATE, injected, status + " problem; nothing stored or sent", run -> {
            int before = itemCount();
            Lambda.HttpAnswer answer = run.http(event.apply(run));
            assertThat(answer.status()).as(answer.rawBody()).isEqualTo(status);
            assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
            assertThat(itemCount()).isEqualTo(before);
            assertThat(run.jumioCalls()).isZero();
        });
    }

    /** Data that is fine at Jumio: 202, and Jumio receives it exactly as sent. */
    private static Scenario accepted(String id, String injected, String names) {
        return new Scenario(id, BAD_INPUT, INITIATE, injected, "202; the data reaches Jumio exactly as sent", run -> {
            String data = "{" + names + ",\"email\":\"" + run.email + "\"}";
            FaultScenarios.accepted(run, run.post(withData(run, data)));
            JsonNode uploaded = run.sim.uploadedData(run.sim.workflowIds().iterator().next());
            JsonNode expected = io.jumiorisk.testing.Events.JSON.readTree(data);
            assertThat(uploaded.path("firstName")).isEqualTo(expected.path("firstName"));
            assertThat(uploaded.path("lastName")).isEqualTo(expected.path("lastName"));
        });
    }

    private static Scenario read(String id, String injected, int status, Function<Run, Events> event) {
        return new Scenario(id, BAD_INPUT, RETRIEVE, injected, status + " problem JSON; nothing sent to Jumio", run -> {
            Lambda.HttpAnswer answer = run.http(event.apply(run));
            assertThat(answer.status()).as(answer.rawBody()).isEqualTo(status);
            assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
            assertThat(run.jumioCalls()).isZero();
        });
    }

    private static Scenario callbackBody(String id, String injected, Function<CheckView, Events> event) {
        return new Scenario(id, BAD_INPUT, CALLBACK, injected, "400; nothing written; no details fetched", run -> {
            run.sim.callbacks(false);
            CheckView view = run.start(run.ekyc());
            List<?> before = TestServices.allItems();
            run.sim.resetCounts();
            Lambda.HttpAnswer answer = run.http(event.apply(view));
            assertThat(answer.status()).as(answer.rawBody()).isEqualTo(400);
            assertThat(TestServices.allItems()).isEqualTo(before);
            assertThat(run.jumioCalls()).isZero();
        });
    }

    private static int itemCount() {
        return TestServices.dynamo().scan(s -> s.tableName(TestServices.TABLE).select("COUNT")).count();
    }
}
