package io.jumiorisk.jumio;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/**
 * Where and as whom the product talks to Jumio: the region's hosts unless a base URL is overridden (simulator,
 * pre-production), and the User-Agent. Each is checked against {@link ConfigRules} when it is resolved.
 */
@ApplicationScoped
public class JumioEndpoints {
    private final JumioRegion region;
    private final String authUrl;
    private final String accountUrl;
    private final String retrievalUrl;
    private final String apiUrl;
    private final String userAgent;

    public JumioEndpoints(JumioConfig config) {
        this.region = JumioRegion.parse(config.region());
        boolean insecure = config.allowInsecureUrls();
        this.authUrl = resolve("JUMIO_AUTH_URL", config.authUrl(), region.authUrl(), insecure);
        this.accountUrl = resolve("JUMIO_ACCOUNT_URL", config.accountUrl(), region.accountUrl(), insecure);
        this.retrievalUrl = resolve("JUMIO_RETRIEVAL_URL", config.retrievalUrl(), region.retrievalUrl(), insecure);
        this.apiUrl = resolve("JUMIO_API_URL", config.apiUrl(), region.apiUrl(), insecure);
        this.userAgent = ConfigRules.userAgent(config.userAgent());
        AccountRequest.checkedLifetime(config.tokenLifetime());
    }

    /**
     * Resolving the settings is their check: done when the function starts, a bad one fails the cold start with a
     * message that names it, rather than every check that reaches Jumio.
     */
    void verify(@Observes StartupEvent event) {
        // the constructor has done it
    }

    private static String resolve(String variable, Optional<String> override, String regional, boolean insecure) {
        return override.filter(u -> !u.isBlank()).map(u -> ConfigRules.baseUrl(variable, u, insecure))
                .orElse(regional);
    }

    public JumioRegion region() {
        return region;
    }

    public String authUrl() {
        return authUrl;
    }

    public String accountUrl() {
        return accountUrl;
    }

    public String retrievalUrl() {
        return retrievalUrl;
    }

    /** The origin (and base path) that upload and finalize URLs may point at besides the region's api host. */
    public String apiUrl() {
        return apiUrl;
    }

    public String userAgent() {
        return userAgent;
    }
}
