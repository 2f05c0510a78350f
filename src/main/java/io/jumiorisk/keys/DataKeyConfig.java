package io.jumiorisk.keys;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "data")
public interface DataKeyConfig {
    /** {@code DATA_KEY_SECRET_ID}: Secrets Manager secret holding {@code {"dataKey": ...}}; deployed functions. */
    Optional<String> keySecretId();

    /** {@code DATA_KEY}: the key itself; local runs only. */
    Optional<String> key();
}
