package io.jumiorisk.lambda;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.check.CheckReader;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.jumio.JumioConfig;

/**
 * {@code retrieve}: {@code GET /checks/{checkId}} through API Gateway ({@code ?view=full} adds Jumio's live capability
 * data), or a direct invocation with {@code {"checkId": "..."}} from Step Functions, which gets the check view or a
 * Lambda error typed by an {@code io.jumiorisk.errors} class.
 */
@Named("retrieve")
public class RetrieveHandler implements RequestHandler<JsonNode, Object> {
    private static final Logger LOG = Logger.getLogger(RetrieveHandler.class);

    private final CheckReader reader;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final JumioConfig config;

    public RetrieveHandler(CheckReader reader, Problems problems, ObjectMapper mapper, JumioConfig config) {
        this.reader = reader;
        this.problems = problems;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        if (HttpApiEvent.matches(event)) {
            return http(mapper.convertValue(event, HttpApiEvent.class), context);
        }
        try (Invocation invocation = Invocation.begin(context, null, config, "retrieve")) {
            String checkId = directCheckId(event);
            return Failures.storeGuarded(() -> reader.read(checkId, invocation.deadline()));
        }
    }

    private HttpApiResponse http(HttpApiEvent event, Context context) {
        try (Invocation invocation = Invocation.begin(context, event.requestId(), config, "retrieve")) {
            HttpApiResponse off = problems.offCheckRoute(event, "GET");
            if (off != null) {
                return off;
            }
            String checkId = event.checkId();
            return problems.answer("retrieve", event.checkInstance(), () -> {
                String view = event.query("view");
                if (view != null && !view.equals("full") && !view.equals("summary")) {
                    throw InvalidRequest.of("view", "must be 'summary' or 'full'");
                }
                if ("full".equals(view)) {
                    CheckReader.FullView full = Failures
                            .storeGuarded(() -> reader.readFull(checkId, invocation.deadline()));
                    ObjectNode body = mapper.valueToTree(full.check());
                    body.set("liveCapabilities", full.liveCapabilities());
                    LOG.info("full view served (live data not stored)");
                    return HttpApiResponse.json(200, mapper.writeValueAsString(body), "application/json");
                }
                CheckView result = Failures.storeGuarded(() -> reader.read(checkId, invocation.deadline()));
                return HttpApiResponse.json(200, mapper.writeValueAsString(result), "application/json");
            });
        }
    }

    /** The {@code checkId} of a direct invocation ({@code {"checkId": "..."}}), as retrieve and erase take it. */
    static String directCheckId(JsonNode event) {
        JsonNode checkId = event == null ? null : event.get("checkId");
        if (checkId == null || !checkId.isTextual()) {
            throw InvalidRequest.of("checkId", "is required");
        }
        return checkId.asText();
    }
}
