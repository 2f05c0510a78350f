package io.jumiorisk.jumio;

import io.jumiorisk.Deadline;

/**
 * BENCHMARK BASELINE ONLY, never built into the product. The naive integration that Jumio asks integrators not to
 * write: a fresh OAuth2 token for every Jumio call. {@code .ci/bench.sh} compiles this against the built function and
 * puts it in place of the product's {@code AccessTokens} in a copy of the task root (same constructor and public
 * methods, which is all {@link JumioClients}' producers use: one instance per OAuth2 client), and everything else runs
 * unchanged.
 */
public class AccessTokens {
    private final TokenEndpoint endpoint;
    private final JumioCredentials credentials;

    AccessTokens(TokenEndpoint endpoint, JumioCredentials credentials, JumioConfig config) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    public String bearer(Deadline deadline) {
        return "Bearer " + endpoint.fetch(credentials, deadline).accessToken();
    }

    public void invalidate(String rejected) {
        // nothing cached, nothing to drop
    }
}
