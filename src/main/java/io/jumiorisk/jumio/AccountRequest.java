package io.jumiorisk.jumio;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of account create/update. Holds references, the callback URL and the workflow token's lifetime only: prepared
 * data goes separately.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountRequest(String customerInternalReference, String userReference, String callbackUrl,
        String tokenLifetime, WorkflowDefinition workflowDefinition) {
    private static final Pattern LIFETIME = Pattern.compile("([+-]?\\d{1,9})([smhd])");

    /**
     * Checks a {@code tokenLifetime} against Jumio's rules: its form ({@code 30m}, {@code 1h} ...) and Jumio's range,
     * 5 minutes to 60 days.
     *
     * @throws IllegalStateException naming {@code JUMIO_TOKEN_LIFETIME}
     */
    public static String checkedLifetime(String lifetime) {
        Matcher m = LIFETIME.matcher(lifetime == null ? "" : lifetime);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration length = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            if (length.compareTo(Duration.ofMinutes(5)) >= 0 && length.compareTo(Duration.ofDays(60)) <= 0) {
                return lifetime;
            }
        }
        throw new IllegalStateException("JUMIO_TOKEN_LIFETIME must be a number and a unit (s, m, h or d), from 5m to"
                + " 60d, as Jumio takes it");
    }

    @RegisterForReflection
    public record WorkflowDefinition(Object key) {
        /** Jumio documents the key as a number; a key that is not all digits is sent as given. */
        public static WorkflowDefinition of(String key) {
            return new WorkflowDefinition(key.chars().allMatch(Character::isDigit) && key.length() < 18
                    ? (Object) Long.valueOf(key)
                    : key);
        }
    }
}
