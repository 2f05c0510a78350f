package io.jumiorisk.callback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Who may deliver a callback. Jumio does not sign callbacks, so a request must come from an allowed source address and
 * carry the deployment's token; anything else is refused before its body is read, and nothing is written.
 */
@ApplicationScoped
public class CallbackGate {
    private static final Logger LOG = Logger.getLogger(CallbackGate.class);

    private final SourceAllowList sources;
    private final CallbackToken token;

    public CallbackGate(SourceAllowList sources, CallbackToken token) {
        this.sources = sources;
        this.token = token;
    }

    /** What the gate said, with the HTTP status a refusal answers (a refusal tells nothing more). */
    public enum Verdict {
        ADMITTED(200), SOURCE_NOT_ALLOWED(403), TOKEN_MISSING_OR_WRONG(401);

        public final int httpStatus;

        Verdict(int httpStatus) {
            this.httpStatus = httpStatus;
        }
    }

    public Verdict admit(String sourceIp, String presentedToken) {
        if (!sources.allows(sourceIp)) {
            LOG.warn("callback refused: source not allowed");
            return Verdict.SOURCE_NOT_ALLOWED;
        }
        if (!token.matches(presentedToken)) {
            LOG.warn("callback refused: token missing or wrong");
            return Verdict.TOKEN_MISSING_OR_WRONG;
        }
        return Verdict.ADMITTED;
    }
}
