package io.jumiorisk.lambda;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JacksonException;

import io.jumiorisk.errors.StoreUnavailable;
import software.amazon.awssdk.core.exception.SdkException;

/** Describes an unexpected failure for the log without repeating input that may hold personal data. */
final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class);

    private Failures() {
    }

    /**
     * Runs a handler's work, turning an AWS SDK failure that escaped it (DynamoDB throttled, down or too slow past the
     * SDK's retries; nothing else in the handlers lets one escape) into {@link StoreUnavailable}.
     */
    static <T> T storeGuarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            LOG.warnf("check store unavailable: %s", describe(e));
            throw new StoreUnavailable();
        }
    }

    static String describe(Throwable e) {
        // Parser messages quote the input they choke on; everything else (SDK, our own code) names only ids.
        if (e instanceof JacksonException || e.getMessage() == null) {
            return e.getClass().getName();
        }
        String message = e.getMessage();
        return e.getClass().getName() + ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }
}
