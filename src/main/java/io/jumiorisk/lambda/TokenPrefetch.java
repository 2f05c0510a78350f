package io.jumiorisk.lambda;

import java.time.Duration;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.jumiorisk.Deadline;
import io.jumiorisk.jumio.AccessTokens;
import io.jumiorisk.store.CheckStore;
import io.quarkus.runtime.StartupEvent;

/**
 * In an on-demand cold start of {@code initiate}, whose every invocation calls Jumio, fetches the Jumio access token
 * and opens DynamoDB's connection in the background while init finishes and the first event arrives: the first
 * check then finds both ready instead of paying for them one after the other. Never in a SnapStart init, whose
 * snapshot must not hold a token (it would be shared by every restored container and expire in it) and never where
 * priming runs instead. A failure here costs nothing: the first check fetches the token itself.
 */
@ApplicationScoped
public class TokenPrefetch {
    private static final Logger LOG = Logger.getLogger(TokenPrefetch.class);
    private static final Duration BUDGET = Duration.ofSeconds(10);

    private final FunctionsConfig config;
    private final AccessTokens tokens;
    private final CheckStore store;

    public TokenPrefetch(FunctionsConfig config, AccessTokens tokens, CheckStore store) {
        this.config = config;
        this.tokens = tokens;
        this.store = store;
    }

    void onStart(@Observes @Priority(3000) StartupEvent event) {
        String function = ConfigProvider.getConfig().getOptionalValue("quarkus.lambda.handler", String.class)
                .orElse("");
        if (!wanted(config.prefetchToken(), function, System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"),
                config.prime())) {
            return;
        }
        start("init-prefetch-token", this::fetchToken);
        start("init-prefetch-dynamodb", this::openDynamoDb);
    }

    static boolean wanted(boolean enabled, String function, String initType, Priming.When prime) {
        // Only where Lambda says the init is on-demand: never in a local run or a test, whose counts of Jumio calls
        // it would change.
        return enabled && "initiate".equals(function) && "on-demand".equals(initType)
                && !Priming.wanted(prime, initType);
    }

    private static void start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void fetchToken() {
        try {
            tokens.bearer(Deadline.in(BUDGET));
        } catch (RuntimeException e) {
            LOG.infof("access token not fetched during init (%s); the first check fetches it",
                    e.getClass().getSimpleName());
        }
    }

    private void openDynamoDb() {
        try {
            store.get(UUID.randomUUID().toString());
        } catch (RuntimeException e) {
            LOG.debugf("DynamoDB not reached during init: %s", e.getClass().getSimpleName());
        }
    }
}
