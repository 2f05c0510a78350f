package io.jumiorisk.jumio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether an upload or finalize URL from Jumio's account answer may be used. Those requests carry the
 * workflow's bearer token and the end user's prepared data, so they go only where Jumio's documentation says they go:
 * the region's {@code api} host over https (or the {@code JUMIO_API_URL} origin, for the simulator and
 * pre-production), with no user info, and with a path that names the very account and workflow that the answer
 * started. Anything else is an {@link UntrustedUrl}, thrown before a byte is sent.
 *
 * <p>
 * Paths are compared as written, segment by segment, and only plain segments (letters, digits, {@code - . _ ~}) are
 * accepted: percent-encoding and dot segments are refused outright rather than decoded, because a server, a proxy and
 * this check could each decode them differently. A query is left alone: it cannot change where the request goes.
 */
public final class ApiUrls {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final String WORKFLOWS = "workflow-executions";

    private final List<Base> bases;

    /**
     * @param regionApiUrl the region's api host, {@code https://api.{region}.jumio.ai}
     * @param configuredApiUrl {@code JUMIO_API_URL} when set (the region's api host otherwise); already checked at
     *     startup
     */
    public ApiUrls(String regionApiUrl, String configuredApiUrl) {
        List<Base> list = new ArrayList<>();
        list.add(Base.of(regionApiUrl));
        if (configuredApiUrl != null) {
            Base configured = Base.of(configuredApiUrl);
            if (!configured.equals(list.get(0))) {
                list.add(configured);
            }
        }
        this.bases = List.copyOf(list);
    }

    public static ApiUrls of(JumioEndpoints endpoints) {
        return new ApiUrls(endpoints.region().apiUrl(), endpoints.apiUrl());
    }

    /** Finalize: exactly {@code /api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}}. */
    public void requireFinalize(String url, String accountId, String workflowExecutionId) {
        String[] path = check(url, accountId, workflowExecutionId);
        if (path.length != 6 || !path[4].equals(WORKFLOWS) || !path[5].equals(workflowExecutionId)) {
            throw new UntrustedUrl("the finalize path does not name the workflow that the answer started");
        }
    }

    /**
     * Prepared data: under {@code /api/v1/accounts/{accountId}/}; where the path has a
     * {@code workflow-executions/{x}} segment, x is the workflow. Recorded real answers sometimes lack that segment
     * ({@code /accounts/{a}/credentials/{c}/parts/PREPARED_DATA}), so it is not required.
     */
    public void requirePreparedData(String url, String accountId, String workflowExecutionId) {
        String[] path = check(url, accountId, workflowExecutionId);
        if (path.length < 5) {
            throw new UntrustedUrl("the upload path names no part of the account");
        }
        for (int i = 4; i < path.length; i++) {
            // Without regard to case: a server that ignores it must not be handed another workflow that way.
            if (path[i].equalsIgnoreCase(WORKFLOWS)
                    && (i + 1 == path.length || !path[i + 1].equals(workflowExecutionId))) {
                throw new UntrustedUrl("the upload path names another workflow");
            }
        }
    }

    /**
     * The rules both URLs share.
     *
     * @return the path's segments from {@code api} on: {@code [api, v1, accounts, {a}, ...]}
     */
    private String[] check(String url, String accountId, String workflowExecutionId) {
        if (!plain(accountId) || !plain(workflowExecutionId)) {
            throw new UntrustedUrl("the answer's account or workflow id is not a plain path segment");
        }
        if (url == null) {
            throw new UntrustedUrl("no URL");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UntrustedUrl("not a valid URL");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw new UntrustedUrl("not an absolute URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new UntrustedUrl("the URL carries user info");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        Base base = null;
        boolean sameOrigin = false;
        for (Base b : bases) {
            if (b.sameOrigin(uri)) {
                sameOrigin = true;
                // The longest base path that fits: JUMIO_API_URL may add one on the region's own origin.
                if (path.startsWith(b.path + "/") && (base == null || b.path.length() > base.path.length())) {
                    base = b;
                }
            }
        }
        if (!sameOrigin) {
            throw new UntrustedUrl("not the https origin of Jumio's api host for the region, nor JUMIO_API_URL's");
        }
        if (base == null) {
            throw new UntrustedUrl("the path is not under the api base path");
        }
        String[] segments = path.substring(base.path.length() + 1).split("/", -1);
        for (String segment : segments) {
            if (!plain(segment)) {
                throw new UntrustedUrl("the path has an empty, dot or encoded segment");
            }
        }
        if (segments.length < 4 || !segments[0].equals("api") || !segments[1].equals("v1")
                || !segments[2].equals("accounts") || !segments[3].equals(accountId)) {
            throw new UntrustedUrl("the path does not name the account that the answer started");
        }
        return segments;
    }

    private static boolean plain(String segment) {
        return segment != null && SEGMENT.matcher(segment).matches() && !segment.equals(".")
                && !segment.equals("..");
    }

    /** Scheme, host and port (the origin), and a base path that the API's own paths follow. */
    private record Base(String scheme, String host, int port, String path) {
        static Base of(String baseUrl) {
            URI uri = URI.create(baseUrl);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            return new Base(scheme, uri.getHost().toLowerCase(Locale.ROOT), port(scheme, uri.getPort()), path);
        }

        /** Scheme and host compare without case, as origins do; an explicit default port is the same origin. */
        boolean sameOrigin(URI uri) {
            String otherScheme = uri.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals(otherScheme) && host.equals(uri.getHost().toLowerCase(Locale.ROOT))
                    && port == port(otherScheme, uri.getPort());
        }

        private static int port(String scheme, int port) {
            if (port != -1) {
                return port;
            }
            return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        }
    }
}
