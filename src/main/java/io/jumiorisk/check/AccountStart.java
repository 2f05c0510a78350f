package io.jumiorisk.check;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.model.Check;
import io.jumiorisk.jumio.AccountRequest;
import io.jumiorisk.jumio.JumioCallFailure;
import io.jumiorisk.jumio.JumioConfig;
import io.jumiorisk.jumio.JumioWorkflows;
import io.jumiorisk.jumio.WorkflowStart;
import io.jumiorisk.store.CheckStore;

/**
 * The account request that starts a check's workflow at Jumio. Jumio documents no idempotency for it, so an answer that
 * leaves us unsure whether a workflow was created (a 5xx, no answer, a cut or incomplete answer) is recorded on the
 * check before anything else happens: when, and what came back. Then, as configured, the request is repeated at once
 * or the caller gets a retryable answer; either way the workflow that the unsure attempt may have left at Jumio is
 * found by its expiry callback ({@link OrphanFinder}) and deleted by the erase sweep ({@link ErasureSweep}).
 */
@ApplicationScoped
public class AccountStart {
    private static final Logger LOG = Logger.getLogger(AccountStart.class);

    private final JumioWorkflows jumio;
    private final CheckStore store;
    private final CallbackAddress callbackAddress;
    private final JumioConfig config;

    public AccountStart(JumioWorkflows jumio, CheckStore store, CallbackAddress callbackAddress, JumioConfig config) {
        this.jumio = jumio;
        this.store = store;
        this.callbackAddress = callbackAddress;
        this.config = config;
    }

    /** Every ambiguous attempt allowed was made: the check fails for good. */
    public static final class AttemptsExhausted extends RuntimeException {
        AttemptsExhausted(int attempts) {
            super(attempts + " account requests were answered ambiguously", null, false, false);
        }
    }

    /**
     * @throws JumioCallFailure.Ambiguous when Jumio's answer left it unsure, once recorded (and, in {@code REPEAT}
     *     mode, repeated as long as the deadline and the attempt limit allow)
     * @throws AttemptsExhausted when the check has used up its ambiguous attempts
     */
    public WorkflowStart create(Check check, CheckRequest request, Deadline deadline, String leaseOwner) {
        int attempts = check.attempts().size();
        AccountRequest body = new AccountRequest(request.customerInternalReference(), request.userReference(),
                callbackAddress.callbackUrl(check.checkId()), config.tokenLifetime(),
                AccountRequest.WorkflowDefinition.of(request.workflowKey()));
        while (true) {
            if (attempts >= config.maxStartAttempts()) {
                throw new AttemptsExhausted(attempts);
            }
            try {
                return jumio.startWorkflow(request.accountId(), body, deadline);
            } catch (JumioCallFailure.Ambiguous e) {
                store.recordStartAttempt(check.checkId(), leaseOwner,
                        new Check.StartAttempt(Instant.now(), e.answer()));
                attempts++;
                LOG.warnf("account request answered ambiguously (%s): attempt %d recorded; a workflow it may have"
                        + " left at Jumio is deleted when Jumio reveals it", e.answer(), attempts);
                if (config.ambiguousStart() != JumioConfig.AmbiguousStart.REPEAT || deadline.callMillisLeft() <= 0) {
                    throw e;
                }
            }
        }
    }
}
