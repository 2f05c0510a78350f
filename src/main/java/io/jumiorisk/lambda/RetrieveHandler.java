package io.jumiorisk.lambda;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.check.CheckReader;
import io.jumiorisk.errors.InvalidRequest;

/**
 * {@code retrieve}: {@code GET /checks/{checkId}} and {@code GET /checks/{checkId}/details} (the check with Jumio's
 * live capability data) through API Gateway, or a direct invocation with {@code {"checkId": "..."}} from Step
 * Functions, which gets the check view or a Lambda error typed by an {@code io.jumiorisk.errors} class.
 */
@Named("retrieve")
public class RetrieveHandler implements RequestHandler<JsonNode, Object> {
    private static final Logger LOG = Logger.getLogger(RetrieveHandler.class);
    private static final Route CHECK = new Route("GET", "/checks/{checkId}");
    /** Jumio's live capability data (personal): a route of its own, so that IAM can grant it apart. */
    private static final Route DETAILS = new Route("GET", "/checks/{checkId}/details");
    private static final Routes ROUTES = Routes.of(CHECK, DETAILS);

    private final Entry entry;
    private final CheckReader reader;
    private final ObjectMapper mapper;

    public RetrieveHandler(Entry entry, CheckReader reader, ObjectMapper mapper) {
        this.entry = entry;
        this.reader = reader;
        this.mapper = mapper;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        return entry.dispatch("retrieve", ROUTES, event, context, this::http,
                (payload, invocation) -> reader.read(Payloads.requiredText(payload, "checkId"), invocation.deadline()));
    }

    private HttpApiResponse http(Routes.Match route, HttpApiEvent event, Invocation invocation) throws Exception {
        String checkId = route.param("checkId");
        if (event.query("view") != null) {
            // The old form could not be told apart from a plain read by IAM.
            throw InvalidRequest.of("view",
                    "is no longer taken: Jumio's live data is at GET /checks/{checkId}/details");
        }
        if (route.route() == CHECK) {
            return entry.json(200, reader.read(checkId, invocation.deadline()));
        }
        CheckReader.FullView full = reader.readFull(checkId, invocation.deadline());
        ObjectNode body = mapper.valueToTree(full.check());
        body.set("liveCapabilities", full.liveCapabilities());
        LOG.info("details served (live data not stored)");
        return entry.json(200, body).withHeader("cache-control", "no-store");
    }
}
