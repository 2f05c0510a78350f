package io.jumiorisk.jumio;

/**
 * Jumio's answer named an upload or finalize URL that this product will not send to: not Jumio's API host (or the
 * configured {@code JUMIO_API_URL} origin), with user info, or naming another account or workflow. Nothing was sent.
 * The message names the rule that failed, never the URL.
 */
public final class UntrustedUrl extends RuntimeException {
    public UntrustedUrl(String rule) {
        super("Jumio's answer named a URL that is not its API host: " + rule, null, false, false);
    }
}
