package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;

/** Base URLs in use: the region's hosts unless a URL is overridden (simulator, pre-production). */
@ApplicationScoped
public class JumioEndpoints {
    private final JumioRegion region;
    private final String authUrl;
    private final String accountUrl;
    private final String retrievalUrl;

    public JumioEndpoints(JumioConfig config) {
        this.region = JumioRegion.parse(config.region());
        this.authUrl = trim(config.authUrl().orElse(region.authUrl()));
        this.accountUrl = trim(config.accountUrl().orElse(region.accountUrl()));
        this.retrievalUrl = trim(config.retrievalUrl().orElse(region.retrievalUrl()));
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
}
