package io.jumiorisk.callback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Who may deliver a callback. Jumio does not sign callbacks, so a request must come from an allowed source address and
 * carry its check's key (the check id and its keyed hash, from the URL the product gave Jumio); anything else is
 * refused before its body is read, and nothing is written.
 */
@ApplicationScoped
public class CallbackGate {
    private static final Logger LOG = Logger.getLogger(CallbackGate.class);

    private final SourceAllowList sources;
    private final CallbackKeys keys;

    public CallbackGate(SourceAllowList sources, CallbackKeys keys) {
        this.sources = sources;
        this.keys = keys;
    }

    /** What the gate said, with the HTTP status a refusal answers (a refusal tells nothing more). */
    public enum Verdict {
        ADMITTED(200),
        SOURCE_NOT_ALLOWED(403),
        KEY_MISSING_OR_WRONG(401);

        public final int httpStatus;

        Verdict(int httpStatus) {
            this.httpStatus = httpStatus;
        }
    }

    /**
     * @param checkId the check that the callback URL names
     * @param signature the URL's keyed hash of it
     */
    public Verdict admit(String sourceIp, String checkId, String signature) {
        if (!sources.allows(sourceIp)) {
            LOG.warn("callback refused: source not allowed");
            return Verdict.SOURCE_NOT_ALLOWED;
        }
        if (!keys.verifies(checkId, signature)) {
            LOG.warn("callback refused: check key missing or wrong");
            return Verdict.KEY_MISSING_OR_WRONG;
        }
        return Verdict.ADMITTED;
    }
}
