package io.jumiorisk.ops;

import java.util.regex.Pattern;

/**
 * The X-Ray trace header of the current invocation ({@code Root=1-...;Parent=...;Sampled=1}), which the Lambda
 * runtime client (Quarkus's poll loop natively, the Runtime Interface Client on the JVM) puts into the system
 * property {@value #PROPERTY} for each invocation; {@code _X_AMZN_TRACE_ID} is the environment's form of it.
 *
 * @param root the trace id ({@code 1-5759e988-bd862e3fe1be46a994272793}), what X-Ray and the logs are searched by
 * @param sampled whether Lambda records this invocation's trace
 */
public record TraceHeader(String root, boolean sampled) {
    static final String PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");

    /** The current invocation's header, or null outside Lambda (or when what is there is not an X-Ray header). */
    public static TraceHeader current() {
        String header = System.getProperty(PROPERTY);
        return parse(header != null ? header : System.getenv("_X_AMZN_TRACE_ID"));
    }

    /** Null for anything that does not name a well-formed root: nothing else is copied into the logs. */
    static TraceHeader parse(String header) {
        if (header == null || header.length() > 512) {
            return null;
        }
        String root = null;
        boolean sampled = false;
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("Root")) {
                root = value;
            } else if (key.equals("Sampled")) {
                sampled = value.equals("1");
            }
        }
        return root != null && ROOT.matcher(root).matches() ? new TraceHeader(root, sampled) : null;
    }
}
