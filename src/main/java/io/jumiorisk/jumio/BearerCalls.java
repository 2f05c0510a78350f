package io.jumiorisk.jumio;

import java.net.http.HttpRequest;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;

/**
 * Calls that authenticate with the OAuth2 access token. A 401 means the token was revoked or expired early: it is
 * dropped, a fresh one fetched, and the call repeated once; a second 401 is Jumio's answer. One per OAuth2 client
 * ({@link JumioClients}).
 */
public class BearerCalls {
    private final JumioHttp http;
    private final AccessTokens tokens;

    BearerCalls(JumioHttp http, AccessTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    /** {@code request}, built anew for each send, goes out with the current access token. */
    JsonNode exchange(String operation, Deadline deadline, Supplier<HttpRequest.Builder> request) {
        String bearer = tokens.bearer(deadline);
        try {
            return http.exchange(operation, deadline, request.get().header("Authorization", bearer));
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() != 401) {
                throw e;
            }
            tokens.invalidate(bearer);
            String fresh = tokens.bearer(deadline);
            return http.exchange(operation, deadline, request.get().header("Authorization", fresh));
        }
    }
}
