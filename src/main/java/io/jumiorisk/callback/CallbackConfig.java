package io.jumiorisk.callback;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "callback")
public interface CallbackConfig {
    /**
     * {@code CALLBACK_TOKEN}: the callback secret, which keys each check's callback URL; local runs only, deployed
     * functions read {@link #tokenSecretId()}.
     */
    Optional<String> token();

    /** {@code CALLBACK_PREVIOUS_TOKEN}: the secret before a rotation, still accepted; local runs only. */
    Optional<String> previousToken();

    /**
     * {@code CALLBACK_TOKEN_SECRET_ID}: Secrets Manager secret holding {@code {"callbackToken": ...}} and, while a
     * rotation is under way, {@code "previousCallbackToken"}.
     */
    Optional<String> tokenSecretId();

    /**
     * {@code CALLBACK_ALLOWED_SOURCES}: IPs or CIDRs, comma separated. Empty means Jumio's published list for the
     * region; {@code *} turns the check off, for local runs only.
     */
    Optional<List<String>> allowedSources();

    /**
     * How long a callback may spend asking Jumio (the decision, or the status that confirms an expiry), so that Jumio's
     * request is answered promptly (its patience is not documented; a few seconds is the safe reading); whatever does
     * not finish in time is finished by retrieve.
     */
    @WithDefault("PT3S")
    java.time.Duration fetchBudget();

    /** Largest callback body accepted; Jumio's callbacks are well under 2 KB. */
    @WithDefault("16384")
    int maxBodyBytes();
}
