package io.jumiorisk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Delivery;
import io.jumiorisk.sim.Http.Response;

/**
 * What the client gets instead of the answer to a request that the simulator has processed (the workflow exists, the
 * upload is stored, ...). Jumio documents no idempotency key: after a 5xx, a timeout or a cut body the work may well
 * have been done.
 */
public enum AfterProcessing {
    /** 502 with a problem body. */
    BAD_GATEWAY,
    /** 504 with a problem body. */
    GATEWAY_TIMEOUT,
    /** 200 whose Content-Length is the whole body's, of which about half is sent before the connection closes. */
    CUT_BODY,
    /** Nothing at all: the request is held for {@code noAnswerMillis}, then the connection closes. */
    NO_ANSWER,
    /** The account answer (200) without the DATA entry in {@code workflowExecution.credentials}. */
    NO_DATA_CREDENTIAL;

    /** The answer that replaces {@code processed}, a 2xx. */
    Response answer(Response processed) {
        return switch (this) {
            case BAD_GATEWAY -> Http.problem(new ApiException(502, "Simulated failure after processing"));
            case GATEWAY_TIMEOUT -> Http.problem(new ApiException(504, "Simulated failure after processing"));
            case CUT_BODY -> processed.delivered(Delivery.CUT_MID_BODY);
            case NO_ANSWER -> processed.delivered(Delivery.NOTHING);
            case NO_DATA_CREDENTIAL -> withoutDataCredential(processed);
        };
    }

    private static Response withoutDataCredential(Response processed) {
        ObjectNode n = Http.parseJsonObject(processed.body());
        JsonNode creds = n.path("workflowExecution").path("credentials");
        if (creds.isArray()) {
            ArrayNode kept = Http.JSON.createArrayNode();
            creds.forEach(c -> {
                if (!c.path("category").asText().equals("DATA")) {
                    kept.add(c);
                }
            });
            ((ObjectNode) n.get("workflowExecution")).set("credentials", kept);
        }
        return Http.json(processed.status(), n, processed.headers());
    }
}
