package io.jumiorisk.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Response;

/**
 * The admin HTTP API under {@code /__admin/}: the simulator's Java test API for callers in other processes (the
 * benchmark starts the simulator on its own and drives it this way).
 */
final class Admin {

    /** What a change of a setting takes effect through. */
    private enum Refresh {
        NONE,
        /** fresh rate-limit buckets */
        RATES,
        /** the ambiguous answers' draws start again from their seed */
        DRAWS
    }

    /** A setting of {@link SimulatorConfig} as {@code GET/POST /__admin/config} name it. */
    private record Setting(String name, Function<SimulatorConfig, Object> get,
            BiConsumer<SimulatorConfig, JsonNode> set,
            Refresh refresh) {
    }

    private static Setting setting(String name, Function<SimulatorConfig, Object> get,
            BiConsumer<SimulatorConfig, JsonNode> set) {
        return new Setting(name, get, set, Refresh.NONE);
    }

    private static Setting rate(String name, Function<SimulatorConfig, Object> get,
            BiConsumer<SimulatorConfig, JsonNode> set) {
        return new Setting(name, get, set, Refresh.RATES);
    }

    private static Setting draws(String name, Function<SimulatorConfig, Object> get,
            BiConsumer<SimulatorConfig, JsonNode> set) {
        return new Setting(name, get, set, Refresh.DRAWS);
    }

    /** In the order that {@code GET /__admin/config} lists them. */
    private static final List<Setting> SETTINGS = List.of(
            setting("tokenLifetimeSeconds", SimulatorConfig::tokenLifetimeSeconds,
                    (c, v) -> c.tokenLifetimeSeconds(v.asInt())),
            setting("callbacksEnabled", SimulatorConfig::callbacksEnabled, (c, v) -> c.callbacksEnabled(v.asBoolean())),
            setting("callbackDelayMillis", SimulatorConfig::callbackDelayMillis,
                    (c, v) -> c.callbackDelayMillis(v.asLong())),
            setting("callbackStatus", SimulatorConfig::callbackStatus, (c, v) -> c.callbackStatus(v.asText())),
            setting("callbackDeliveries", SimulatorConfig::callbackDeliveries,
                    (c, v) -> c.callbackDeliveries(v.asInt())),
            setting("callbackRetries", SimulatorConfig::callbackRetries, (c, v) -> c.callbackRetries(v.asInt())),
            setting("callbackRetryDelayMillis", SimulatorConfig::callbackRetryDelayMillis,
                    (c, v) -> c.callbackRetryDelayMillis(v.asLong())),
            setting("processingDelayMillis", SimulatorConfig::processingDelayMillis,
                    (c, v) -> c.processingDelayMillis(v.asLong())),
            setting("checkUserAgents", SimulatorConfig::checkUserAgents, (c, v) -> c.checkUserAgents(v.asBoolean())),
            setting("retrieveAndDeletePermission", SimulatorConfig::retrieveAndDeletePermission,
                    (c, v) -> c.retrieveAndDeletePermission(v.asBoolean())),
            setting("shortWorkflowHrefs", SimulatorConfig::shortWorkflowHrefs,
                    (c, v) -> c.shortWorkflowHrefs(v.asBoolean())),
            rate("tokenRatePerSecond", SimulatorConfig::tokenRatePerSecond,
                    (c, v) -> c.tokenRatePerSecond(v.asDouble())),
            rate("accountRatePerSecond", SimulatorConfig::accountRatePerSecond,
                    (c, v) -> c.accountRatePerSecond(v.asDouble())),
            rate("accountBurst", SimulatorConfig::accountBurst, (c, v) -> c.accountBurst(v.asInt())),
            rate("retrievalRatePerSecond", SimulatorConfig::retrievalRatePerSecond,
                    (c, v) -> c.retrievalRatePerSecond(v.asDouble())),
            setting("defaultOutcome", SimulatorConfig::defaultOutcome,
                    (c, v) -> c.defaultOutcome(new Outcome(v.path("decisionType").asText(), v.path("label").asText(),
                            v.path("score").asInt()))),
            setting("noAnswerMillis", SimulatorConfig::noAnswerMillis, (c, v) -> c.noAnswerMillis(v.asLong())),
            setting("repeatFinalizeStatus", SimulatorConfig::repeatFinalizeStatus,
                    (c, v) -> c.repeatFinalizeStatus(v.asInt())),
            setting("uploadAfterFinalizeStatus", SimulatorConfig::uploadAfterFinalizeStatus,
                    (c, v) -> c.uploadAfterFinalizeStatus(v.asInt())),
            setting("reuseAccessTokens", SimulatorConfig::reuseAccessTokens,
                    (c, v) -> c.reuseAccessTokens(v.asBoolean())),
            setting("accessTokenFormat", SimulatorConfig::accessTokenFormat,
                    (c, v) -> c.accessTokenFormat(named(TokenFormat.class, v))),
            setting("accessTokenExpSeconds", SimulatorConfig::accessTokenExpSeconds,
                    (c, v) -> c.accessTokenExpSeconds(v.asInt())),
            setting("workflowTokenFormat", SimulatorConfig::workflowTokenFormat,
                    (c, v) -> c.workflowTokenFormat(named(TokenFormat.class, v))),
            setting("uploadLink", SimulatorConfig::uploadLink, (c, v) -> c.uploadLink(named(LinkShape.class, v))),
            setting("finalizeLink", SimulatorConfig::finalizeLink,
                    (c, v) -> c.finalizeLink(named(LinkShape.class, v))),
            draws("ambiguousAccountFraction", SimulatorConfig::ambiguousAccountFraction,
                    (c, v) -> c.ambiguousAccountFraction(number("ambiguousAccountFraction", v))),
            draws("ambiguousAccountMix", SimulatorConfig::ambiguousAccountMix,
                    (c, v) -> c.ambiguousAccountMix(mix(v))),
            draws("ambiguousAccountSeed", SimulatorConfig::ambiguousAccountSeed,
                    (c, v) -> c.ambiguousAccountSeed(v.asLong())));

    private static final Map<String, Setting> SETTINGS_BY_NAME = SETTINGS.stream()
            .collect(Collectors.toMap(Setting::name, Function.identity()));

    private final JumioSimulator sim;

    Admin(JumioSimulator sim) {
        this.sim = sim;
    }

    Response handle(String method, String path, String query, byte[] body) {
        String op = path.substring("/__admin/".length());
        ObjectNode in = null;
        if (method.equals("POST")) {
            in = body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()
                    ? Http.JSON.createObjectNode()
                    : Http.parseJsonObject(body);
        } else if (!method.equals("GET")) {
            throw new ApiException(405, "Admin endpoints accept GET or POST");
        }
        try {
            return Http.json(200, answer(method, op, in, query));
        } catch (IllegalArgumentException e) {
            throw Http.bad(e.getMessage());
        }
    }

    private JsonNode answer(String method, String op, ObjectNode in, String query) {
        ObjectNode ok = Http.JSON.createObjectNode();
        ok.put("ok", true);
        switch (method + " " + op) {
            case "POST reset" -> sim.reset();
            case "POST fail" -> sim.failNext(endpoint(in), in.path("status").asInt(503), in.path("times").asInt(1),
                    in.hasNonNull("retryAfterSeconds") ? in.get("retryAfterSeconds").asInt() : null);
            case "POST delay" -> sim.delayNext(endpoint(in), in.path("millis").asLong(0), in.path("times").asInt(1));
            case "POST unauthorized" -> sim.unauthorizedNext(endpoint(in), in.path("times").asInt(1));
            case "POST config" -> applyConfig(in);
            case "POST outcome" -> sim.nextOutcome(in.path("decisionType").asText(), in.path("label").asText(),
                    in.path("score").asInt(), in.path("times").asInt(1));
            case "POST expire" -> sim.expire(in.hasNonNull("workflowExecutionId")
                    ? in.get("workflowExecutionId").asText()
                    : in.path("workflowId").asText(), in.path("status").asText("TOKEN_EXPIRED"));
            case "POST revoke-tokens" -> sim.revokeAllTokens();
            case "POST after-processing" -> sim.afterProcessingNext(endpoint(in),
                    named(AfterProcessing.class, in.path("answer")), in.path("times").asInt(1));
            case "POST expire-unfinalized" -> {
                ObjectNode n = Http.JSON.createObjectNode();
                List<String> ids = sim.expireUnfinalizedNow(in.path("status").asText("TOKEN_EXPIRED"));
                ids.forEach(n.putArray("expired")::add);
                return n;
            }
            case "POST send-callback" -> {
                String wf = in.path("workflowId").asText(in.path("workflowExecutionId").asText(null));
                String ct = in.has("contentType") ? emptyToNull(in.get("contentType")) : Http.APPLICATION_JSON;
                return callbackJson(sim.sendCallback(wf, in.path("status").asText(null), ct));
            }
            case "POST seed" -> {
                return seed(in);
            }
            case "GET counts" -> {
                ObjectNode n = Http.JSON.createObjectNode();
                sim.counts().forEach((k, v) -> n.put(k.name(), v));
                return n;
            }
            case "GET requests" -> {
                return requests(query);
            }
            case "GET callbacks" -> {
                return callbacks();
            }
            case "GET workflows" -> {
                return workflows();
            }
            case "GET deletes" -> {
                return Http.JSON.valueToTree(sim.deleteRequests());
            }
            case "GET ambiguous-answers" -> {
                return ambiguousAnswers();
            }
            case "GET stray-requests" -> {
                return recorded(sim.strayRequests());
            }
            case "GET config" -> {
                return configJson();
            }
            default -> throw new ApiException(404, "Unknown admin endpoint " + method + " /__admin/" + op);
        }
        return ok;
    }

    /** The constant of {@code type} that {@code v} names (case-insensitive), or 400. */
    private static <E extends Enum<E>> E named(Class<E> type, JsonNode v) {
        try {
            return Enum.valueOf(type, v.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
            throw Http.bad("unknown " + type.getSimpleName() + " '" + v.asText() + "'; one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static double number(String name, JsonNode v) {
        if (!v.isNumber()) {
            throw Http.bad(name + " must be a number");
        }
        return v.asDouble();
    }

    /** {@code {"BAD_GATEWAY": 35, "NO_ANSWER": 25, ...}}: relative weights by {@link AfterProcessing} name. */
    private static Map<AfterProcessing, Double> mix(JsonNode v) {
        if (!v.isObject()) {
            throw Http.bad("ambiguousAccountMix must be an object of weights by answer, such as {\"BAD_GATEWAY\": 1}");
        }
        Map<AfterProcessing, Double> m = new EnumMap<>(AfterProcessing.class);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            m.put(named(AfterProcessing.class, new TextNode(e.getKey())), number("ambiguousAccountMix." + e.getKey(),
                    e.getValue()));
        }
        return m;
    }

    private static String emptyToNull(JsonNode v) {
        return v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static Endpoint endpoint(JsonNode in) {
        String e = in.path("endpoint").asText(null);
        if (e == null) {
            throw Http.bad("endpoint is required");
        }
        try {
            return Endpoint.valueOf(e.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
            throw Http.bad("unknown endpoint " + e + "; one of " + Arrays.toString(Endpoint.values()));
        }
    }

    private void applyConfig(ObjectNode in) {
        SimulatorConfig c = sim.config();
        Set<Refresh> refresh = EnumSet.noneOf(Refresh.class);
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            Setting s = SETTINGS_BY_NAME.get(e.getKey());
            if (s == null) {
                throw Http.bad("unknown config key " + e.getKey());
            }
            s.set().accept(c, e.getValue());
            refresh.add(s.refresh());
        }
        if (refresh.contains(Refresh.RATES)) {
            sim.rateLimitsChanged();
        }
        if (refresh.contains(Refresh.DRAWS)) {
            sim.restartAmbiguousDraws();
        }
    }

    private ObjectNode configJson() {
        SimulatorConfig c = sim.config();
        ObjectNode n = Http.JSON.createObjectNode();
        for (Setting s : SETTINGS) {
            n.set(s.name(), Http.JSON.valueToTree(s.get().apply(c)));
        }
        return n;
    }

    private ObjectNode seed(ObjectNode in) {
        JsonNode keyNode = in.get("workflowKey");
        if (keyNode == null || keyNode.isNull()) {
            throw Http.bad("workflowKey is required");
        }
        Map<String, Object> pd = in.hasNonNull("preparedData")
                ? Http.JSON.convertValue(in.get("preparedData"),
                        Http.JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class))
                : null;
        SeededWorkflow s = sim.seedFinalizedWorkflow(keyNode.asText(),
                in.hasNonNull("callbackUrl") ? in.get("callbackUrl").asText() : null,
                in.hasNonNull("userReference") ? in.get("userReference").asText() : null, pd);
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("accountId", s.accountId());
        n.put("workflowExecutionId", s.workflowExecutionId());
        return n;
    }

    private ArrayNode requests(String query) {
        String ep = query == null ? null : Http.parseForm(query).get("endpoint");
        if (ep == null) {
            throw Http.bad("query parameter endpoint is required");
        }
        return recorded(sim.requests(Endpoint.valueOf(ep.toUpperCase(Locale.ROOT))));
    }

    private static ArrayNode recorded(List<RecordedRequest> requests) {
        ArrayNode arr = Http.JSON.createArrayNode();
        for (RecordedRequest rr : requests) {
            ObjectNode o = arr.addObject();
            o.put("endpoint", rr.endpoint().name());
            o.put("method", rr.method());
            o.put("path", rr.path());
            o.set("headers", Http.JSON.valueToTree(rr.headers()));
            o.put("body", rr.body());
            o.put("receivedAt", rr.receivedAt().toString());
        }
        return arr;
    }

    private ArrayNode workflows() {
        ArrayNode arr = Http.JSON.createArrayNode();
        for (LiveWorkflow w : sim.liveWorkflows()) {
            ObjectNode o = arr.addObject();
            o.put("workflowExecutionId", w.workflowExecutionId());
            o.put("accountId", w.accountId());
            o.put("status", w.status());
            o.put("finalized", w.finalized());
            o.put("createdAt", w.createdAt().toString());
            o.put("customerInternalReference", w.customerInternalReference());
        }
        return arr;
    }

    private ArrayNode ambiguousAnswers() {
        ArrayNode arr = Http.JSON.createArrayNode();
        for (AmbiguousAnswer a : sim.ambiguousAnswers()) {
            ObjectNode o = arr.addObject();
            o.put("endpoint", a.endpoint().name());
            o.put("answer", a.answer().name());
            o.put("drawn", a.drawn());
            o.put("workflowExecutionId", a.workflowExecutionId());
            o.put("accountId", a.accountId());
            o.put("customerInternalReference", a.customerInternalReference());
            o.put("at", a.at().toString());
        }
        return arr;
    }

    private ArrayNode callbacks() {
        ArrayNode arr = Http.JSON.createArrayNode();
        sim.callbackResults().forEach(cr -> arr.add(callbackJson(cr)));
        return arr;
    }

    private static ObjectNode callbackJson(CallbackResult cr) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("url", cr.url());
        if (cr.httpStatus() == null) {
            o.putNull("httpStatus");
        } else {
            o.put("httpStatus", cr.httpStatus());
        }
        o.put("error", cr.error());
        o.put("workflowExecutionId", cr.workflowExecutionId());
        o.put("status", cr.status());
        o.put("attempt", cr.attempt());
        o.put("sentAt", cr.sentAt().toString());
        o.put("delivered", cr.delivered());
        return o;
    }
}
