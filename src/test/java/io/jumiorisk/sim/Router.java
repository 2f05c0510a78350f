package io.jumiorisk.sim;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Handler;
import io.jumiorisk.sim.Http.Req;
import io.jumiorisk.sim.Http.Response;

/**
 * Sends each request to the host its path prefix names. Every request to a host's resource is counted and recorded,
 * even one answered 405, and then gets the misbehaviour queued for its endpoint (delay, failure, forced 401) and
 * Jumio's User-Agent check before the host sees it; an answer queued for after processing replaces a 2xx of the host,
 * and so, for the account endpoints, does one drawn by {@link SimulatorConfig#ambiguousAccountFraction(double)}.
 * The admin API and the health check are neither counted nor recorded nor checked. Requests to the decoy origin are
 * recorded as {@link Endpoint#STRAY} and answered 404.
 */
final class Router {

    /** A path parameter (an id) in a route's pattern. */
    static final String ID = "([^/]+)";

    /** The endpoints whose processed requests may get a drawn ambiguous answer. */
    private static final Set<Endpoint> ACCOUNT_ENDPOINTS = EnumSet.of(Endpoint.ACCOUNT_CREATE,
            Endpoint.ACCOUNT_UPDATE);

    private record Op(Endpoint endpoint, Handler handler) {
    }

    /** A resource and its methods; requests with any other method count towards the first one's endpoint. */
    static final class Resource {
        private final Pattern pattern;
        private final Map<String, Op> ops = new LinkedHashMap<>();

        private Resource(Pattern pattern) {
            this.pattern = pattern;
        }

        Resource on(String method, Endpoint endpoint, Handler handler) {
            ops.put(method, new Op(endpoint, handler));
            return this;
        }

        private Endpoint primary() {
            return ops.values().iterator().next().endpoint;
        }
    }

    /**
     * How HTTP libraries and tools name themselves (the first product token, up to a '/' or '-'): not the application
     * that Jumio asks the User-Agent to name.
     */
    private static final Pattern GENERIC_USER_AGENT = Pattern.compile("^(" + Stream.of("java-http-client", "java",
            "vert.x", "apache-httpclient", "apache-httpasyncclient", "okhttp", "resteasy", "quarkus", "jersey", "jetty",
            "python-requests", "python-urllib", "python-httpx", "go-http-client", "axios", "ahc", "aws-sdk",
            "reactor-netty", "curl", "wget", "httpie", "postmanruntime", "insomnia", "node-fetch", "undici",
            "libwww-perl", "guzzlehttp").map(Pattern::quote).collect(Collectors.joining("|")) + ")([/-]|$)");
    /** A product token with a version, as in {@code Acme Onboarding/1.4}. */
    private static final Pattern NAME_VERSION = Pattern.compile("(^|\\s)[A-Za-z][\\w.+-]*/\\d[\\w.+-]*");

    private final List<Resource> resources = new ArrayList<>();
    private final Tenant tenant;
    private final Traffic traffic;
    private final Admin admin;

    Router(Tenant tenant, Traffic traffic, Admin admin) {
        this.tenant = tenant;
        this.traffic = traffic;
        this.admin = admin;
    }

    /** Declares the resource whose whole path matches {@code regex}. */
    Resource at(String regex) {
        Resource r = new Resource(Pattern.compile("^" + regex + "$"));
        resources.add(r);
        return r;
    }

    void handle(HttpExchange ex) {
        Response resp;
        try {
            resp = dispatch(ex);
        } catch (ApiException e) {
            resp = Http.problem(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resp = Http.problem(new ApiException(503, "Simulator shutting down"));
        } catch (Exception e) {
            Http.LOG.log(System.Logger.Level.WARNING, "jumio simulator internal error", e);
            resp = Http.problem(new ApiException(500, "Simulator error: " + e));
        }
        Http.send(ex, resp, tenant.cfg().noAnswerMillis());
    }

    /** The decoy origin: whatever arrives there is recorded and answered 404. */
    void stray(HttpExchange ex) {
        Response resp;
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            traffic.received(Endpoint.STRAY, ex.getRequestMethod(), ex.getRequestURI().toString(),
                    ex.getRequestHeaders(), body);
            resp = Http.problem(new ApiException(404, "Not a Jumio host"));
        } catch (IOException e) {
            resp = Http.problem(new ApiException(400, "Unreadable request"));
        }
        Http.send(ex, resp, 0);
    }

    private Response dispatch(HttpExchange ex) throws Exception {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getRawPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.startsWith("/__admin/")) {
            return admin.handle(method, path, ex.getRequestURI().getRawQuery(), body);
        }
        if (path.equals("/status") || path.equals("/status/")) {
            return health(method);
        }
        for (Resource resource : resources) {
            Matcher m = resource.pattern.matcher(path);
            if (!m.matches()) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
            }
            Op op = resource.ops.get(method);
            Endpoint ep = op == null ? resource.primary() : op.endpoint;
            traffic.received(ep, method, ex.getRequestURI().toString(), ex.getRequestHeaders(), body);
            if (op == null) {
                throw new ApiException(405, "Method " + method + " not allowed on this resource")
                        .header("Allow", String.join(", ", resource.ops.keySet()));
            }
            long delay = traffic.takeDelay(ep);
            if (delay > 0) {
                Thread.sleep(delay);
            }
            Traffic.Failure f = traffic.takeFailure(ep);
            if (f != null) {
                ApiException e = new ApiException(f.status(),
                        f.status() == 429 ? "Request limit exceeded" : "Simulated failure");
                if (f.retryAfterSeconds() != null) {
                    e.header("Retry-After", String.valueOf(f.retryAfterSeconds()));
                }
                throw e;
            }
            checkUserAgent(ex.getRequestHeaders().getFirst("User-Agent"));
            boolean forceUnauthorized = traffic.takeUnauthorized(ep);
            Response resp = op.handler.handle(new Req(ex.getRequestHeaders(), params, body, forceUnauthorized));
            AfterProcessing after = resp.status() / 100 == 2 ? traffic.takeAfterProcessing(ep) : null;
            if (resp.status() / 100 == 2 && ACCOUNT_ENDPOINTS.contains(ep)) {
                boolean drawn = after == null;
                if (drawn) {
                    after = tenant.drawAmbiguousAnswer();
                }
                if (after != null) {
                    recordAmbiguous(ep, after, drawn, resp);
                }
            }
            return after == null ? resp : after.answer(resp);
        }
        throw new ApiException(404, "No resource at " + path);
    }

    /** Which workflow an ambiguous answer hides: the account answer names it. */
    private void recordAmbiguous(Endpoint ep, AfterProcessing after, boolean drawn, Response processed) {
        ObjectNode n = Http.parseJsonObject(processed.body());
        String wfId = n.path("workflowExecution").path("id").asText(null);
        Workflow wf = wfId == null ? null : tenant.workflow(wfId);
        traffic.ambiguousAnswerGiven(new AmbiguousAnswer(ep, after, drawn, wfId, wf == null ? null : wf.accountId,
                wf == null ? null : wf.customerInternalReference, Instant.now()));
    }

    /** Jumio requires 'User-Agent: <Company> <App>/<version>': none is a 400, a generic one a 403. */
    private void checkUserAgent(String ua) {
        if (!tenant.cfg().checkUserAgents()) {
            return;
        }
        if (ua == null) {
            throw Http.bad("Missing User-Agent header; Jumio requires 'User-Agent: <Company> <App>/<version>'");
        }
        if (genericUserAgent(ua)) {
            throw new ApiException(403, "Suspicious User-Agent '" + ua
                    + "'; Jumio requires 'User-Agent: <Company> <App>/<version>'");
        }
    }

    static boolean genericUserAgent(String ua) {
        String lower = ua.trim().toLowerCase(Locale.ROOT);
        return lower.isEmpty() || GENERIC_USER_AGENT.matcher(lower).find() || !NAME_VERSION.matcher(ua).find();
    }

    /** status.{region}.jumio.ai: always UP. */
    private static Response health(String method) {
        if (!method.equals("GET")) {
            throw new ApiException(405, "Method " + method + " not allowed").header("Allow", "GET");
        }
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("status", "UP");
        n.putObject("details");
        return Http.json(200, n);
    }
}
