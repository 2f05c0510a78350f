package io.jumiorisk.jumio;

import io.jumiorisk.Deadline;

/**
 * BENCHMARK BASELINE ONLY, never built into the product. The naive integration that Jumio asks integrators not to
 * write: a fresh OAuth2 token for every Jumio call. {@code .ci/bench.sh} compiles this against the built function and
 * puts it ahead of the function's jar on the JVM's class path, so it replaces the product's {@code AccessTokens}
 * (same constructor and public methods, which is all the generated CDI bean and client proxy use) and everything
 * else runs unchanged.
 */
public class AccessTokens {
    private final TokenEndpoint endpoint;

    /** For the CDI client proxy (Quarkus adds the same constructor to the product's class at build time). */
    protected AccessTokens() {
        this.endpoint = null;
    }

    public AccessTokens(TokenEndpoint endpoint, JumioConfig config) {
        this.endpoint = endpoint;
    }

    public String bearer(Deadline deadline) {
        return "Bearer " + endpoint.fetch(deadline).accessToken();
    }

    public void invalidate(String rejected) {
        // nothing cached, nothing to drop
    }
}
