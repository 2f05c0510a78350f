package io.jumiorisk.errors;

import java.util.List;
import java.util.stream.Collectors;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The request broke a rule before anything was stored or sent. Final. */
public final class InvalidRequest extends ProductError {
    private final List<FieldError> errors;

    public InvalidRequest(List<FieldError> errors) {
        super("Invalid request: " + errors.stream().map(e -> e.field() + " " + e.message())
                .collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequest of(String field, String message) {
        return new InvalidRequest(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public boolean transientFailure() {
        return false;
    }

    @Override
    public int httpStatus() {
        return 400;
    }

    @Override
    public String code() {
        return "invalid-request";
    }

    /** One offending field and why; the message never quotes the offending value. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }
}
