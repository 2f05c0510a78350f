package io.jumiorisk.lambda;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The routes a function serves. A request on none of them is refused before the function looks at it: 404 off every
 * route's path, 405 (with {@code Allow}) for another method. A quiet guard gives no detail, for a public route that
 * should tell a prober nothing.
 */
public record Routes(List<Route> routes, boolean quiet) {

    public static Routes of(Route... routes) {
        return new Routes(List.of(routes), false);
    }

    public static Routes quiet(Route... routes) {
        return new Routes(List.of(routes), true);
    }

    /** The route a request is on, with its path values and its problem {@code instance}. */
    public record Match(Route route, Map<String, String> params, String instance) {
        public String param(String name) {
            return params.get(name);
        }
    }

    /** @throws Refusal when the request is on none of the routes */
    Match match(HttpApiEvent event) {
        List<Route> onPath = routes.stream().filter(r -> r.match(event.rawPath()) != null).toList();
        if (onPath.isEmpty()) {
            throw refusal(404, "This function serves " + join(routes) + " only", null);
        }
        for (Route route : onPath) {
            if (route.method().equals(event.method())) {
                Map<String, String> params = route.match(event.rawPath());
                // API Gateway's own reading of the path wins where it gave one.
                params.replaceAll((name, value) -> event.path(name) != null ? event.path(name) : value);
                return new Match(route, params, instance(route, params));
            }
        }
        String allow = onPath.stream().map(Route::method).distinct().collect(Collectors.joining(", "));
        throw refusal(405, "Use " + join(onPath), allow);
    }

    private Refusal refusal(int status, String detail, String allow) {
        return new Refusal(status, quiet ? null : detail, false, allow);
    }

    private static String join(List<Route> routes) {
        return routes.stream().map(Route::toString).collect(Collectors.joining(" or "));
    }

    /** The route's path with its values, each cut down to id characters so that nothing else is echoed. */
    private static String instance(Route route, Map<String, String> params) {
        String instance = route.template();
        for (Map.Entry<String, String> p : params.entrySet()) {
            String value = p.getValue().length() <= 36 ? p.getValue().replaceAll("[^0-9a-zA-Z-]", "") : "";
            instance = instance.replace("{" + p.getKey() + "}", value);
        }
        return instance;
    }
}
