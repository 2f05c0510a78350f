package io.jumiorisk.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Handler;
import io.jumiorisk.sim.Http.Req;
import io.jumiorisk.sim.Http.Response;

/**
 * Sends each request to the host its path prefix names. Every request to a host's resource is counted and recorded,
 * even one answered 405, and then gets the misbehaviour queued for its endpoint (delay, failure, forced 401) before
 * the host sees it. The admin API and the health check are neither counted nor recorded.
 */
final class Router {

    /** A path parameter (an id) in a route's pattern. */
    static final String ID = "([^/]+)";

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

    private final List<Resource> resources = new ArrayList<>();
    private final Traffic traffic;
    private final Admin admin;

    Router(Traffic traffic, Admin admin) {
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
        Http.send(ex, resp);
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
                ApiException e = new ApiException(f.status(), "Simulated failure");
                if (f.retryAfterSeconds() != null) {
                    e.header("Retry-After", String.valueOf(f.retryAfterSeconds()));
                }
                throw e;
            }
            boolean forceUnauthorized = traffic.takeUnauthorized(ep);
            return op.handler.handle(new Req(ex.getRequestHeaders(), params, body, forceUnauthorized));
        }
        throw new ApiException(404, "No resource at " + path);
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
