package io.jumiorisk.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * Step Functions on moto_server (moto 5.2.1) with its ASL interpreter, for tests that need REAL task tokens:
 * tokens issued by a running execution that is paused in a {@code lambda:invoke.waitForTaskToken} state.
 * See {@code src/test/resources/moto-stepfunctions-notes.md} for what moto does and does not do.
 *
 * <p>Things to know (all verified against moto 5.2.1 in server mode):
 * <ul>
 * <li>{@link #enableInterpreter()} flips two GLOBAL switches of the moto process
 * ({@code stepfunctions.execute_state_machine=true}, {@code lambda.use_docker=false}). Both swap the backend:
 * state machines / functions created before the switch are no longer visible afterwards.</li>
 * <li>moto 5.2.1 bug: once an account+region holds one interpreted execution (running OR finished), every further
 * StartExecution in that region fails with HTTP 500 ({@code TypeError: cannot pickle '_thread.RLock'}:
 * StartExecution deep-copies the state machine, which references the whole backend). Deleting the state machine
 * clears it. So one instance of this class runs at most one execution at a time in its region, and deletes its
 * finished state machines before starting the next one ({@link #retireFinished()}); run executions in parallel
 * with separate {@link #newLane lanes} (one unused region each).</li>
 * <li>Tokens are found per account+region: SendTaskSuccess must be sent to the region of the execution. The product
 * under test uses {@code us-east-1} ({@link TestServices#REGION}), so use {@link #MotoStepFunctions(String)}
 * there.</li>
 * <li>Lambda without Docker ("lambda-simple") never fails: any FunctionName "works", the response is the next
 * queued result for the region ({@link #queueLambdaResults}) or else an echo of the request payload. The
 * waitForTaskToken invoke also consumes a queued result.</li>
 * </ul>
 */
public final class MotoStepFunctions implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String ROLE_NAME = "moto-sfn-test";
    public static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE_NAME;
    public static final Path CHECK_ASL = Path.of("infra/statemachine/check.asl.json");

    /** Regions that have both Step Functions and Lambda in botocore, us-east-1 left out (the product's region). */
    static final List<String> LANE_REGIONS = List.of("us-east-2", "us-west-1", "us-west-2", "eu-west-1",
            "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
            "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
            "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-east-1", "ca-central-1", "ca-west-1",
            "sa-east-1", "af-south-1", "me-south-1", "me-central-1", "il-central-1", "mx-central-1");

    private static final Map<String, AtomicInteger> NEXT_LANE = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String endpoint;
    private final String region;
    private final SfnClient sfn;
    private final List<String> stateMachines = new CopyOnWriteArrayList<>();

    /** Status, output, error and cause of an execution as DescribeExecution reports them. */
    public record ExecutionResult(String executionArn, ExecutionStatus status, String output, String error,
            String cause) {
        public boolean running() {
            return status == ExecutionStatus.RUNNING;
        }

        public JsonNode outputJson() {
            return output == null ? null : readTree(output);
        }
    }

    /** An execution paused in a waitForTaskToken state, and the token it is waiting on. */
    public record WaitingTask(String stateMachineArn, String executionArn, String taskToken) {
    }

    /** An execution of {@code check.asl.json}, and the moto Lambda functions its substitutions point at. */
    public record CheckRun(String stateMachineArn, String executionArn, String initiateFunctionArn,
            String retrieveFunctionArn) {
    }

    /** Step Functions in {@code us-east-1}, the region the product's SFN client uses in tests. */
    public MotoStepFunctions(String endpoint) {
        this(endpoint, DEFAULT_REGION);
    }

    public MotoStepFunctions(String endpoint, String region) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.region = region;
        this.sfn = SfnClient.builder()
                .endpointOverride(URI.create(this.endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /**
     * A helper on a region of this moto server that no other lane uses, so that executions can run in parallel
     * (see the class comment). Throws when the {@link #LANE_REGIONS} of this endpoint are used up.
     */
    public static MotoStepFunctions newLane(String endpoint) {
        int i = NEXT_LANE.computeIfAbsent(endpoint, e -> new AtomicInteger()).getAndIncrement();
        if (i >= LANE_REGIONS.size()) {
            throw new IllegalStateException("All " + LANE_REGIONS.size() + " moto lane regions of " + endpoint
                    + " are used; reuse a MotoStepFunctions instance (it frees its region between executions)");
        }
        return new MotoStepFunctions(endpoint, LANE_REGIONS.get(i));
    }

    public SfnClient sfn() {
        return sfn;
    }

    public String region() {
        return region;
    }

    public String endpoint() {
        return endpoint;
    }

    // ---------------------------------------------------------------- moto-api configuration

    /**
     * {@code POST /moto-api/config {"stepfunctions":{"execute_state_machine":true},"lambda":{"use_docker":false}}}:
     * executions are interpreted, Lambda invocations answered by lambda-simple. Process-wide; idempotent.
     */
    public MotoStepFunctions enableInterpreter() {
        motoApi("/moto-api/config",
                "{\"stepfunctions\":{\"execute_state_machine\":true},\"lambda\":{\"use_docker\":false}}");
        return this;
    }

    /** Back to moto's defaults: executions are not run, Lambda would need Docker. */
    public MotoStepFunctions disableInterpreter() {
        motoApi("/moto-api/config",
                "{\"stepfunctions\":{\"execute_state_machine\":false},\"lambda\":{\"use_docker\":true}}");
        return this;
    }

    /**
     * Queues lambda-simple responses for this region, FIFO, shared by every function of the region (any function
     * invoked by any execution here, including the invoke that precedes a waitForTaskToken wait). Each string is
     * the raw payload (give JSON); {@code POST /moto-api/static/lambda-simple/response
     * {"account_id":..,"region":..,"results":["..."]}}. lambda-simple cannot return a FunctionError.
     */
    public void queueLambdaResults(String... payloads) {
        ObjectNode body = JSON.createObjectNode().put("account_id", ACCOUNT).put("region", region);
        ArrayNode results = body.putArray("results");
        for (String p : payloads) {
            results.add(p);
        }
        motoApi("/moto-api/static/lambda-simple/response", body.toString());
    }

    // ---------------------------------------------------------------- Lambda and IAM (no SDK on the classpath)

    /**
     * Creates (or finds) a dummy function in this region and returns its ARN. The code is an empty zip; with
     * lambda-simple it never runs. Needs {@link #enableInterpreter()} first: functions are kept per backend.
     */
    public String createFunction(String name) {
        ensureRole(endpoint);
        String arn = "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + name;
        ObjectNode body = JSON.createObjectNode().put("FunctionName", name).put("Runtime", "java17")
                .put("Role", ROLE_ARN).put("Handler", "io.jumiorisk.Dummy::handleRequest");
        body.putObject("Code").put("ZipFile", Base64.getEncoder().encodeToString(emptyZip()));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(endpoint + "/2015-03-31/functions"))
                .header("content-type", "application/json").header("authorization", auth("lambda", region))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (r.statusCode() != 201 && !r.body().contains("ResourceConflictException")) {
            throw new IllegalStateException("CreateFunction " + name + ": " + r.statusCode() + " " + r.body());
        }
        return arn;
    }

    private static final Map<String, Boolean> ROLE_CREATED = new ConcurrentHashMap<>();

    private static void ensureRole(String endpoint) {
        ROLE_CREATED.computeIfAbsent(endpoint, e -> {
            String form = "Action=CreateRole&Version=2010-05-08&RoleName=" + ROLE_NAME
                    + "&AssumeRolePolicyDocument=%7B%7D";
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(e + "/"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("authorization", auth("iam", DEFAULT_REGION))
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            if (r.statusCode() / 100 != 2 && !r.body().contains("EntityAlreadyExists")) {
                throw new IllegalStateException("CreateRole: " + r.statusCode() + " " + r.body());
            }
            return true;
        });
    }

    /** moto routes by the credential scope of the Authorization header and does not check the signature. */
    private static String auth(String service, String region) {
        return "AWS4-HMAC-SHA256 Credential=test/20240101/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host, Signature=0";
    }

    private static byte[] emptyZip() {
        byte[] zip = new byte[22];
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 5;
        zip[3] = 6;
        return zip;
    }

    // ---------------------------------------------------------------- state machines and executions

    /** Creates a state machine owned by this helper (deleted by {@link #retireFinished()} / {@link #close()}). */
    public String createStateMachine(String namePrefix, String definition) {
        String name = namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE_ARN))
                .stateMachineArn();
        stateMachines.add(arn);
        return arn;
    }

    /**
     * Starts an execution after freeing the region (moto 5.2.1 can only start one in a region that holds no other
     * execution); throws {@link IllegalStateException} if one of this helper's executions is still running.
     */
    public String startExecution(String stateMachineArn, String inputJson) {
        retireFinished(stateMachineArn);
        return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn)
                .name("x-" + UUID.randomUUID()).input(inputJson)).executionArn();
    }

    /**
     * Deletes this helper's state machines whose executions have all finished (their executions vanish from
     * moto: read results first). Throws if one of them still has a running execution.
     */
    public void retireFinished() {
        retireFinished(null);
    }

    private void retireFinished(String keep) {
        for (String arn : stateMachines) {
            List<String> running;
            try {
                running = sfn.listExecutions(b -> b.stateMachineArn(arn)).executions().stream()
                        .filter(e -> e.status() == ExecutionStatus.RUNNING).map(e -> e.executionArn()).toList();
            } catch (StateMachineDoesNotExistException e) {
                stateMachines.remove(arn);
                continue;
            }
            if (!running.isEmpty()) {
                throw new IllegalStateException("moto 5.2.1 cannot start another execution in " + region
                        + " while " + running + " is in it (StartExecution answers HTTP 500); complete it "
                        + "(SendTaskSuccess/Failure) or use MotoStepFunctions.newLane(endpoint)");
            }
            if (arn.equals(keep)) {
                if (sfn.listExecutions(b -> b.stateMachineArn(arn)).executions().isEmpty()) {
                    continue;
                }
                throw new IllegalStateException("moto 5.2.1 runs a state machine at most once (its finished "
                        + "execution breaks the next StartExecution): create a new one for " + arn);
            }
            sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
            stateMachines.remove(arn);
        }
    }

    /** Deletes all of this helper's state machines, running or not (a waiting execution's tokens become invalid). */
    @Override
    public void close() {
        for (String arn : stateMachines) {
            try {
                sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
            } catch (RuntimeException e) {
                // moto already gone
            }
        }
        stateMachines.clear();
        sfn.close();
    }

    /** A definition with one {@code lambda:invoke.waitForTaskToken} state that returns the task's output. */
    public static String waitForTaskTokenDefinition(String functionArn, int timeoutSeconds) {
        ObjectNode def = JSON.createObjectNode().put("StartAt", "Wait");
        ObjectNode task = def.putObject("States").putObject("Wait").put("Type", "Task")
                .put("Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken")
                .put("TimeoutSeconds", timeoutSeconds).put("End", true);
        ObjectNode params = task.putObject("Parameters").put("FunctionName", functionArn);
        params.putObject("Payload").put("taskToken.$", "$$.Task.Token").put("input.$", "$");
        return def.toString();
    }

    /**
     * A real task token on which moto is waiting now: creates a one-state waitForTaskToken machine (Task
     * {@code TimeoutSeconds} as given; moto honours it), starts it and reads the token from the TaskScheduled event.
     * Completing the token completes the execution with the given output / error.
     */
    public WaitingTask waitingTask(int timeoutSeconds) {
        String fn = createFunction("token-issuer");
        String sm = createStateMachine("token", waitForTaskTokenDefinition(fn, timeoutSeconds));
        String exec = startExecution(sm, "{}");
        return new WaitingTask(sm, exec, awaitTaskToken(exec, Duration.ofSeconds(10)));
    }

    /** {@link #waitingTask(int)}'s token only. */
    public String taskToken(int timeoutSeconds) {
        return waitingTask(timeoutSeconds).taskToken();
    }

    public DescribeExecutionResponse describe(String executionArn) {
        return sfn.describeExecution(b -> b.executionArn(executionArn));
    }

    /** Polls DescribeExecution until the execution is no longer RUNNING or {@code max} has passed (then RUNNING). */
    public ExecutionResult awaitExecution(String executionArn, Duration max) {
        long until = System.nanoTime() + max.toNanos();
        while (true) {
            DescribeExecutionResponse d = describe(executionArn);
            if (d.status() != ExecutionStatus.RUNNING || System.nanoTime() > until) {
                return new ExecutionResult(executionArn, d.status(), d.output(), d.error(), d.cause());
            }
            sleep(50);
        }
    }

    public List<HistoryEvent> history(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().forEach(events::add);
        return events;
    }

    /**
     * Every text that an event of the history carries (inputs, outputs, task parameters, errors, causes: all fields
     * of its details, recursively), with the event's type and, for state events, the state's name. The SDK's
     * {@code toString} redacts exactly these fields, hence the walk over the model's fields.
     */
    public List<EventText> eventTexts(String executionArn) {
        List<EventText> texts = new ArrayList<>();
        String state = null;
        for (HistoryEvent e : history(executionArn)) {
            if (e.stateEnteredEventDetails() != null) {
                state = e.stateEnteredEventDetails().name();
            }
            StringBuilder text = new StringBuilder();
            collect(e, text);
            texts.add(new EventText(e.id(), e.type(), state, text.toString()));
            if (e.stateExitedEventDetails() != null) {
                state = null;
            }
        }
        return texts;
    }

    /** One history event's texts; {@code state} is the state it belongs to, null outside any state. */
    public record EventText(long id, HistoryEventType type, String state, String text) {
    }

    private static void collect(Object value, StringBuilder into) {
        if (value instanceof software.amazon.awssdk.core.SdkPojo pojo) {
            for (software.amazon.awssdk.core.SdkField<?> field : pojo.sdkFields()) {
                collect(field.getValueOrDefault(pojo), into);
            }
        } else if (value instanceof java.util.Collection<?> values) {
            values.forEach(v -> collect(v, into));
        } else if (value != null) {
            into.append(value).append('\n');
        }
    }

    /** Names of the states entered so far, in order. */
    public List<String> enteredStates(String executionArn) {
        return history(executionArn).stream().filter(e -> e.stateEnteredEventDetails() != null)
                .map(e -> e.stateEnteredEventDetails().name()).toList();
    }

    /**
     * The task tokens issued so far, oldest first: moto records the resolved Parameters of every Task in the
     * TaskScheduled event, so the token is whatever {@code "...taskToken.$": "$$.Task.Token"} put there (any field
     * named taskToken, case-insensitive, at any depth). One per attempt: a Retry issues a new token.
     */
    public List<String> taskTokens(String executionArn) {
        List<String> tokens = new ArrayList<>();
        for (HistoryEvent e : history(executionArn)) {
            if (e.type() == HistoryEventType.TASK_SCHEDULED && e.taskScheduledEventDetails() != null) {
                String token = findToken(readTree(e.taskScheduledEventDetails().parameters()));
                if (token != null) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    /** Waits for the first task token of the execution. */
    public String awaitTaskToken(String executionArn, Duration max) {
        return awaitTaskToken(executionArn, 1, max);
    }

    /** Waits until the execution has issued {@code n} task tokens and returns the n-th (1-based). */
    public String awaitTaskToken(String executionArn, int n, Duration max) {
        long until = System.nanoTime() + max.toNanos();
        while (true) {
            List<String> tokens = taskTokens(executionArn);
            if (tokens.size() >= n) {
                return tokens.get(n - 1);
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("No task token #" + n + " within " + max + " (execution "
                        + describe(executionArn).status() + ", states " + enteredStates(executionArn) + ")");
            }
            sleep(50);
        }
    }

    public void sendTaskSuccess(String taskToken, String outputJson) {
        sfn.sendTaskSuccess(b -> b.taskToken(taskToken).output(outputJson));
    }

    /** moto drops {@code cause}: the task fails with the error only (a Catch sees {@code "Cause": null}). */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        sfn.sendTaskFailure(b -> b.taskToken(taskToken).error(error).cause(cause));
    }

    // ---------------------------------------------------------------- check.asl.json

    /** {@code check.asl.json} with the template's DefinitionSubstitutions replaced. */
    public static String checkDefinition(String initiateFunctionArn, String retrieveFunctionArn) {
        try {
            return Files.readString(CHECK_ASL).replace("${InitiateFunctionArn}", initiateFunctionArn)
                    .replace("${RetrieveFunctionArn}", retrieveFunctionArn);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + CHECK_ASL.toAbsolutePath(), e);
        }
    }

    /**
     * Creates dummy {@code initiate}/{@code retrieve} functions in this region, a state machine from
     * {@code check.asl.json} pointing at them, and starts it with the input. Drive it with
     * {@link #awaitTaskToken}, {@link #sendTaskSuccess}/{@link #sendTaskFailure}, {@link #queueLambdaResults}
     * (for PollRetrieve; StartCheck's invoke takes one too) and {@link #awaitExecution}.
     */
    public CheckRun startCheck(String inputJson) {
        return startCheck(inputJson, UnaryOperator.identity());
    }

    /**
     * As {@link #startCheck(String)}, with the substituted definition edited first (e.g. a time-compressed copy
     * to reach the polling fallback, whose 900 s timeout and 40 s+ waits moto runs in real time). A test that
     * edits the definition no longer tests the shipped ASL: say so in it.
     */
    public CheckRun startCheck(String inputJson, UnaryOperator<String> definitionEdit) {
        String initiate = createFunction("initiate");
        String retrieve = createFunction("retrieve");
        String sm = createStateMachine("check", definitionEdit.apply(checkDefinition(initiate, retrieve)));
        return new CheckRun(sm, startExecution(sm, inputJson), initiate, retrieve);
    }

    // ---------------------------------------------------------------- plumbing

    private void motoApi(String path, String json) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(endpoint + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String findToken(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equalsIgnoreCase("taskToken") && f.getValue().isTextual()) {
                    return f.getValue().asText();
                }
                String inner = findToken(f.getValue());
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                String inner = findToken(element);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + json, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
