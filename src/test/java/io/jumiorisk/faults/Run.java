package io.jumiorisk.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.jumiorisk.check.CheckView;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Forgeries;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.TestServices;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What one scenario works with: the simulator, the function under test (through the Lambda event path), a way to
 * start a check in a container that serves another handler, and the record of what was sent, which
 * {@link Invariants} then looks for in the table and the log.
 */
public final class Run {
    /** Starts a check with the product's start service (for profiles whose handler is not initiate). */
    @FunctionalInterface
    public interface Starter {
        CheckView start(String body, String taskToken) throws Exception;
    }

    public final JumioSimulator sim = TestServices.simulator();
    private final Starter starter;
    private final Runnable sweep;
    private final Set<String> sent = new LinkedHashSet<>();
    private final Set<String> taskTokens = new LinkedHashSet<>();
    private final Set<String> checkIds = new LinkedHashSet<>();
    private final Set<String> foreignWorkflows = new LinkedHashSet<>();

    /** Distinctive personal data of this run's end user; every value is scanned for afterwards. */
    public final String email;
    public final String phone;
    public final String lastName;
    public final String firstName;
    public final String ssn;
    public final String idNumber;
    public final String reference;

    Run(Starter starter, Runnable sweep) {
        this.starter = starter;
        this.sweep = sweep;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String tag = Long.toString(r.nextLong(36L * 36 * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36 * 36), 36);
        email = "leak." + tag + "@example.com";
        phone = "+1415" + (1000000 + r.nextInt(8999999));
        lastName = "Leakova" + letters(tag);
        firstName = "Janleak" + letters(tag);
        ssn = Integer.toString(100000000 + r.nextInt(899999999));
        idNumber = "ID" + tag.toUpperCase();
        reference = "txn-" + java.util.UUID.randomUUID();
        sent(email, phone, lastName, firstName, ssn, idNumber);
    }

    private static String letters(String tag) {
        StringBuilder b = new StringBuilder();
        for (char c : tag.toCharArray()) {
            b.append(Character.isDigit(c) ? (char) ('a' + (c - '0')) : c);
        }
        return b.toString();
    }

    /** Strings that must appear in no DynamoDB item and no log line. */
    public Run sent(String... values) {
        for (String v : values) {
            if (v != null && v.length() >= 5) {
                sent.add(v);
            }
        }
        return this;
    }

    /**
     * A Step Functions task token the scenario handed over: whoever holds one can complete the execution, so the table
     * keeps it sealed and no log line has it.
     */
    public Run taskToken(String token) {
        taskTokens.add(token);
        TestServices.handedTaskToken(token);
        return this;
    }

    public Set<String> sentValues() {
        return sent;
    }

    /** One run of the erase function's sweep, as its schedule would trigger it. */
    public void sweep() {
        sweep.run();
    }

    /** A workflow that is not ours (seeded at the simulator): it must stay untracked. */
    public Run foreign(String workflowExecutionId) {
        foreignWorkflows.add(workflowExecutionId);
        return this;
    }

    Set<String> foreignWorkflows() {
        return foreignWorkflows;
    }

    Set<String> checkIds() {
        return checkIds;
    }

    public String track(String checkId) {
        if (checkId != null && !checkId.isBlank()) {
            checkIds.add(checkId);
        }
        return checkId;
    }

    // ---------------------------------------------------------------------------------------------- bodies

    /** An email-risk request for this run's end user. */
    public String emailRisk() {
        return emailRisk(reference);
    }

    public String emailRisk(String ref) {
        return """
                {"customerInternalReference":"%s","userReference":"user-42","workflowDefinitionKey":10066,
                 "preparedData":{"email":"%s","ipAddress":"198.51.100.23"}}""".formatted(ref, email);
    }

    /** An eKYC request for this run's end user: names, SSN, phone, email, id number. */
    public String ekyc() {
        return """
                {"customerInternalReference":"%s","userReference":"user-44","workflowDefinitionKey":10148,
                 "preparedData":{"firstName":"%s","lastName":"%s","dateOfBirth":"1990-04-12",
                   "socialSecurityNumber":"%s","email":"%s","phoneNumber":"%s",
                   "address":{"line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"USA"},
                   "id":{"idNumber":"%s","type":"DRIVING_LICENSE","issuingDate":"2020-01-01","expiryDate":"2030-01-01"}}}"""
                .formatted(reference, firstName, lastName, ssn, email, phone, idNumber);
    }

    // ---------------------------------------------------------------------------------------------- calls

    /** {@code POST /checks} through the event path; a check id in the answer is tracked. */
    public Lambda.HttpAnswer post(String body) {
        return http(Events.postCheck(body));
    }

    public Lambda.HttpAnswer http(Events event) {
        Lambda.HttpAnswer answer = Lambda.http(event);
        if (answer.body() != null && answer.body().isObject()) {
            track(answer.body().path("checkId").asText(null));
        }
        return answer;
    }

    public Lambda.Result direct(String payload) {
        Lambda.Result result = Lambda.direct(payload);
        if (result.ok()) {
            track(result.body().path("checkId").asText(null));
        }
        return result;
    }

    public CheckView start(String body) throws Exception {
        return start(body, null);
    }

    public CheckView start(String body, String taskToken) throws Exception {
        CheckView view = starter.start(body, taskToken);
        track(view.checkId());
        return view;
    }

    /** A genuine callback for {@code view}: from a Jumio address, with the deployment's token. */
    /** A well-formed check id that no scenario uses: for listing the forgeries before any check exists. */
    static final String SAMPLE_CHECK_ID = "00000000-0000-4000-8000-000000000000";

    public static Events callback(CheckView view, String status) {
        return callback(view.checkId(), view.workflowExecutionId(), view.accountId(), status);
    }

    /** A callback through {@code checkId}'s URL that names any workflow. */
    public static Events callback(String checkId, String workflowExecutionId, String accountId, String status) {
        return Events.callback(callbackBody(workflowExecutionId, accountId, status)).signedFor(checkId)
                .sourceIp(Forgeries.JUMIO_IP);
    }

    public static String callbackBody(String workflowExecutionId, String accountId, String status) {
        return """
                {"callbackSentAt":"2025-06-17T15:27:30.123Z","userReference":"user-42",
                 "workflowExecution":{"id":"%s","href":"https://evil.example.com/steal","definitionKey":"10066","status":"%s"},
                 "account":{"id":"%s","href":"https://evil.example.com/steal"}}"""
                .formatted(workflowExecutionId, status, accountId);
    }

    // ---------------------------------------------------------------------------------------------- table

    public static Map<String, AttributeValue> check(String checkId) {
        return TestServices.item("CHECK#" + checkId);
    }

    public static String status(String checkId) {
        Map<String, AttributeValue> item = check(checkId);
        return item == null ? null : item.get("status").s();
    }

    public static String attr(String checkId, String name) {
        Map<String, AttributeValue> item = check(checkId);
        AttributeValue v = item == null ? null : item.get(name);
        return v == null ? null : v.s() != null ? v.s() : v.n() != null ? v.n() : String.valueOf(v.bool());
    }

    /** Waits generously: the machine is shared, so nothing here is timed tightly. */
    public static void await(String what, java.util.function.BooleanSupplier condition) {
        await(what, Duration.ofSeconds(30), condition);
    }

    public static void await(String what, Duration atMost, java.util.function.BooleanSupplier condition) {
        long until = System.currentTimeMillis() + atMost.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            pause(50);
        }
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public int jumioCalls() {
        return sim.counts().values().stream().mapToInt(Integer::intValue).sum();
    }

    List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(sim.clientSecret(), sim.eraserClientSecret(),
                TestServices.CALLBACK_TOKEN, TestServices.DATA_KEY));
        secrets.addAll(taskTokens);
        for (io.jumiorisk.sim.Endpoint e : io.jumiorisk.sim.Endpoint.values()) {
            sim.requests(e).forEach(r -> {
                String auth = r.header("Authorization");
                if (auth != null && auth.indexOf(' ') > 0) {
                    secrets.add(auth.substring(auth.indexOf(' ') + 1).trim());
                }
            });
        }
        return secrets;
    }
}
