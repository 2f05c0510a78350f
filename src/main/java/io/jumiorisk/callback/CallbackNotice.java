package io.jumiorisk.callback;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.errors.InvalidRequest;

/**
 * The parts of Jumio's callback we act on. Carries no personal data (Jumio sends none). Jumio documents three statuses
 * and advises to expect more: any status of Jumio's form is taken, and only {@code PROCESSED} is acted on at once;
 * the others are settled through the status API.
 */
public record CallbackNotice(String accountId, String workflowExecutionId, String status) {
    public static final String PROCESSED = "PROCESSED";
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{8,64}");
    private static final Pattern STATUS = Pattern.compile("[A-Z][A-Z_]{0,39}");

    /** Reads a callback body; names every field that is missing or malformed, never quoting a value. */
    public static CallbackNotice parse(byte[] body, ObjectMapper mapper) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            throw InvalidRequest.of("body", "is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw InvalidRequest.of("body", "must be a JSON object");
        }
        List<InvalidRequest.FieldError> errors = new ArrayList<>();
        String wx = id(json.path("workflowExecution").path("id"), "workflowExecution.id", errors);
        String account = id(json.path("account").path("id"), "account.id", errors);
        JsonNode status = json.path("workflowExecution").path("status");
        if (!status.isTextual() || !STATUS.matcher(status.asText()).matches()) {
            errors.add(new InvalidRequest.FieldError("workflowExecution.status",
                    "is required and must be a status such as PROCESSED (upper-case letters and '_')"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new CallbackNotice(account, wx, status.asText());
    }

    private static String id(JsonNode node, String field, List<InvalidRequest.FieldError> errors) {
        if (!node.isTextual() || !ID.matcher(node.asText()).matches()) {
            errors.add(new InvalidRequest.FieldError(field, "is required and must be a Jumio id"));
            return null;
        }
        return node.asText();
    }
}
