package io.jumiorisk.jumio;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of account create/update. Holds references and the callback URL only: prepared data goes separately. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountRequest(String customerInternalReference, String userReference, String callbackUrl,
        WorkflowDefinition workflowDefinition) {

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
