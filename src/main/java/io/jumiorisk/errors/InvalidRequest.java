package io.jumiorisk.errors;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The request broke a rule before anything was stored or sent. Final. */
public final class InvalidRequest extends ProductError {
    private final List<FieldError> errors;

    public InvalidRequest(List<FieldError> errors) {
        super(ErrorContract.INVALID_REQUEST, "Invalid request: " + errors.stream()
                .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")), null);
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequest of(String field, String message) {
        return new InvalidRequest(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public Map<String, Object> problemMembers() {
        return Map.of("errors", errors);
    }

    /** One offending field and why; the message never quotes the offending value. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }
}
