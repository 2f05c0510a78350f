package io.jumiorisk.lambda;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.aws.SecretReader;
import io.jumiorisk.check.CallbackAddress;
import io.jumiorisk.check.CheckRequest;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestHashes;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.jumio.AccountRequest;
import io.jumiorisk.jumio.JumioHttp;
import io.jumiorisk.keys.TokenSeal;
import io.jumiorisk.store.CheckStore;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the paths of a check once during init, so that the first invocation after a SnapStart restore (or on a
 * provisioned instance) does not pay for class loading, JSON mapping set-up, the AWS SDK's first request (endpoint
 * rules, signing, marshalling, the connection) and the JIT's first compilations. It never calls Jumio and writes
 * nothing: a made-up request is parsed, hashed and turned into an account request that is built but not sent, a
 * made-up token is sealed and opened, the Jumio client's machinery is run against a closed local port, DynamoDB gets
 * each kind of request on an item that cannot exist, and a check's answer is written for no one.
 * <p>
 * Priming goes with a snapshot: with {@code auto} (the default) it runs when Lambda initialises for SnapStart or for
 * provisioned concurrency, where init is not on a user's request path; an on-demand cold start, where init is, skips
 * it. After a restore, {@link #afterRestore} re-reads every secret that init read, so that a snapshot taken before a
 * rotation does not sign with a retired key for longer than any other container would.
 */
@ApplicationScoped
public class Priming {
    private static final Logger LOG = Logger.getLogger(Priming.class);
    /** Obviously made up, parsed and hashed but never sent, logged or stored. */
    private static final String SAMPLE = """
            {"customerInternalReference":"priming","userReference":"priming","workflowDefinitionKey":10015,
             "preparedData":{"email":"priming@example.invalid","phoneNumber":"+15555550100"}}""";

    /** When to prime: {@code auto} on a snapshot or provisioned init, {@code always}, or {@code never}. */
    public enum When {
        AUTO,
        ALWAYS,
        NEVER
    }

    private final FunctionsConfig config;
    private final ObjectMapper mapper;
    private final RequestParser parser;
    private final RequestHashes hashes;
    private final CallbackAddress callbacks;
    private final JumioHttp http;
    private final TokenSeal seal;
    private final CheckStore store;
    private final SecretReader secrets;
    /** The runtime holds its hooks weakly: this reference keeps ours alive until the snapshot is taken. */
    private Object restoreHook;

    public Priming(FunctionsConfig config, ObjectMapper mapper, RequestParser parser, RequestHashes hashes,
            CallbackAddress callbacks, JumioHttp http, TokenSeal seal, CheckStore store, SecretReader secrets) {
        this.config = config;
        this.mapper = mapper;
        this.parser = parser;
        this.hashes = hashes;
        this.callbacks = callbacks;
        this.http = http;
        this.seal = seal;
        this.store = store;
        this.secrets = secrets;
    }

    /** After the observers that read the secrets at start-up (default priority), so that they are primed too. */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        String initType = System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE");
        if (!wanted(config.prime(), initType)) {
            return;
        }
        long started = System.nanoTime();
        List<String> done = prime();
        LOG.infof("primed (%s) in %d ms: %s", initType == null ? "local" : initType,
                (System.nanoTime() - started) / 1_000_000, String.join(", ", done));
        if ("snap-start".equals(initType)) {
            restoreHook = SnapStartHook.register(this::afterRestore);
        }
    }

    static boolean wanted(When when, String initType) {
        return switch (when) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> "snap-start".equals(initType) || "provisioned-concurrency".equals(initType);
        };
    }

    /** Each path once; returns the steps that ran. A step that fails is logged and skipped: priming is an aid. */
    public List<String> prime() {
        List<String> done = new ArrayList<>();
        step(done, "request", () -> {
            JsonNode body = mapper.readTree(SAMPLE);
            CheckRequest request = parser.parse(body, Set.of());
            hashes.request(request);
            hashes.idempotencyKey("priming");
            String checkId = UUID.randomUUID().toString();
            AccountRequest account = new AccountRequest(request.customerInternalReference(),
                    request.userReference(), callbacks.callbackUrl(checkId), null,
                    AccountRequest.WorkflowDefinition.of(request.workflowKey()));
            // Built as the account request is, and dropped: nothing goes to Jumio.
            JumioHttp.to(JumioHttp.url("https://priming.example.invalid", "/api/v1/accounts", checkId))
                    .POST(http.json(account)).header("Content-Type", "application/json").build();
            http.json(request.preparedData());
        });
        step(done, "token seal", () -> seal.unseal(seal.seal("priming-task-token")));
        step(done, "jumio client", http::prime);
        step(done, "dynamodb", () -> store.prime(UUID.randomUUID().toString()));
        step(done, "answer", () -> {
            Instant now = Instant.now();
            String checkId = UUID.randomUUID().toString();
            CheckView view = new CheckView(checkId, "PENDING", null, null, now, now, null, null, null, null, null,
                    null, null, null, new CheckView.Links("/checks/" + checkId));
            mapper.writeValueAsString(HttpApiResponse.json(202, mapper.writeValueAsString(view), "application/json"));
            mapper.writeValueAsString(HttpApiResponse.json(404,
                    mapper.writeValueAsString(Map.of("type", "about:blank", "title", "Not Found", "status", 404)),
                    "application/problem+json"));
        });
        return done;
    }

    /** What a restored container does before its first invocation: read every secret again. */
    void afterRestore() {
        long started = System.nanoTime();
        int reread = secrets.refreshAll();
        LOG.infof("restored: %d secrets read again in %d ms", reread, (System.nanoTime() - started) / 1_000_000);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<String> done, String name, Step step) {
        try {
            step.run();
            done.add(name);
        } catch (Exception e) {
            LOG.warnf("priming step %s skipped: %s", name, e.getClass().getName());
        }
    }
}
