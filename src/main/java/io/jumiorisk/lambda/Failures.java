package io.jumiorisk.lambda;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JacksonException;

import io.jumiorisk.errors.StoreUnavailable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** Describes an unexpected failure for the log without repeating input that may hold personal data. */
final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class);

    private Failures() {
    }

    /**
     * Runs a handler's work, turning a transient AWS SDK failure that escaped it (DynamoDB throttled, failing or too
     * slow past the SDK's retries; nothing else in the handlers lets one escape) into {@link StoreUnavailable}. Others,
     * such as a missing table or a denied action, are configuration faults that no retry mends: they stay 500s.
     */
    static <T> T storeGuarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            if (!transientStoreFailure(e)) {
                throw e;
            }
            LOG.warnf("check store unavailable: %s", describe(e));
            throw new StoreUnavailable();
        }
    }

    static boolean transientStoreFailure(SdkException e) {
        if (e instanceof SdkClientException) {
            // No answer: the network, or the per-call cap (ApiCallTimeoutException).
            return true;
        }
        return e instanceof AwsServiceException s && (s.isThrottlingException() || s.statusCode() >= 500
                || s instanceof TransactionCanceledException || s instanceof TransactionConflictException);
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
