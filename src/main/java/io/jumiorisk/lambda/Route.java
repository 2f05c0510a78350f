package io.jumiorisk.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One route of the HTTP API, as in {@code template.yaml}: a method and a path template whose {@code {name}} segments
 * each match one path segment.
 */
public record Route(String method, String template) {

    /** @return the path's values for the template's {@code {name}} segments; null when the path does not fit */
    Map<String, String> match(String path) {
        if (path == null) {
            return null;
        }
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
