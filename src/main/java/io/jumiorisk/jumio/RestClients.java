package io.jumiorisk.jumio;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/** Builds the Jumio REST clients. Base URLs are known only at run time (region or override), hence programmatic. */
final class RestClients {
    private RestClients() {
    }

    static <T> T build(Class<T> api, String baseUrl, JumioConfig config) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                // Every status reaches JumioHttp, which alone decides what is retried.
                .disableDefaultMapper(true)
                .connectTimeout(2, TimeUnit.SECONDS)
                // An upper bound; each call also gets the time the invocation has left (JumioHttp).
                .readTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(api);
    }
}
