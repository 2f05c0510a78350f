package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.jumiorisk.aws.SecretReader;
import io.quarkus.runtime.StartupEvent;

/**
 * The product's two Jumio OAuth2 clients, each with its own access token. The main one starts checks and retrieves
 * decisions; the erasure one, with Jumio's "retrieve &amp; delete" permission, is configured only for the erase
 * function ({@code JUMIO_ERASE_CREDENTIALS_SECRET_ID}), so that no other function can use it. Without it, erase uses
 * the main client (local runs, and a tenant with a single client).
 */
@ApplicationScoped
public class JumioClients {
    private final JumioCredentials main;
    private final JumioCredentials erasure;

    public JumioClients(JumioConfig config, SecretReader secrets) {
        this.main = new JumioCredentials("JUMIO_CREDENTIALS_SECRET_ID, or JUMIO_CLIENT_ID and JUMIO_CLIENT_SECRET",
                config.credentialsSecretId(), config.clientId(), config.clientSecret(), secrets);
        JumioCredentials own = new JumioCredentials(
                "JUMIO_ERASE_CREDENTIALS_SECRET_ID, or JUMIO_ERASE_CLIENT_ID and JUMIO_ERASE_CLIENT_SECRET",
                config.eraseCredentialsSecretId(), config.eraseClientId(), config.eraseClientSecret(), secrets);
        this.erasure = own.configured() ? own : main;
    }

    /** Reads the secrets during init, where Lambda gives the function time of its own. */
    void warm(@Observes StartupEvent event) {
        main.warm();
        if (erasure != main) {
            erasure.warm();
        }
    }

    @Produces
    @Singleton
    @Default
    JumioCredentials credentials() {
        return main;
    }

    /** The main client's access tokens. */
    @Produces
    @Singleton
    @Default
    AccessTokens accessTokens(TokenEndpoint endpoint, JumioConfig config) {
        return new AccessTokens(endpoint, main, config);
    }

    @Produces
    @Singleton
    @Default
    BearerCalls bearerCalls(JumioHttp http, @Default AccessTokens tokens) {
        return new BearerCalls(http, tokens);
    }

    @Produces
    @Singleton
    @ForErasure
    BearerCalls erasureBearerCalls(TokenEndpoint endpoint, JumioHttp http, JumioConfig config,
            @Default BearerCalls mainCalls) {
        return erasure == main ? mainCalls : new BearerCalls(http, new AccessTokens(endpoint, erasure, config));
    }
}
