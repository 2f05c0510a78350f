package io.jumiorisk.jumio;

import java.util.List;
import java.util.Locale;

/** Jumio's data centres, their hosts and the addresses their callbacks come from, as Jumio publishes them. */
public enum JumioRegion {
    AMER_1("amer-1", "US", List.of("34.202.241.227", "34.226.103.119", "34.226.254.127", "52.8.136.236",
            "54.177.61.57", "54.183.15.212")),
    EMEA_1("emea-1", "EU",
            List.of("34.253.41.236", "35.157.27.193", "52.48.0.25", "52.57.194.92",
                    "52.58.113.86", "52.209.180.134")),
    APAC_1("apac-1", "SG",
            List.of("3.0.109.121", "52.76.184.73", "52.77.102.92", "13.238.100.17",
                    "13.238.203.238", "52.64.132.26"));

    private final String id;
    private final String alias;
    private final List<String> callbackSources;

    JumioRegion(String id, String alias, List<String> callbackSources) {
        this.id = id;
        this.alias = alias;
        this.callbackSources = callbackSources;
    }

    public static JumioRegion parse(String value) {
        String v = value.trim();
        for (JumioRegion r : values()) {
            if (r.id.equalsIgnoreCase(v) || r.alias.equalsIgnoreCase(v)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "Unknown JUMIO_REGION '" + v + "': use amer-1, emea-1 or apac-1 (US, EU, SG)");
    }

    public String id() {
        return id;
    }

    public String authUrl() {
        return host("auth");
    }

    public String accountUrl() {
        return host("account");
    }

    public String retrievalUrl() {
        return host("retrieval");
    }

    /** Where upload and finalize go; Jumio names the exact URLs in its account answer. */
    public String apiUrl() {
        return host("api");
    }

    public List<String> callbackSources() {
        return callbackSources;
    }

    private String host(String service) {
        return "https://" + service + "." + id.toLowerCase(Locale.ROOT) + ".jumio.ai";
    }
}
