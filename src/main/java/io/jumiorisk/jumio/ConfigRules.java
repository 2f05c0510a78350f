package io.jumiorisk.jumio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Jumio's documentation asks of the settings that reach Jumio, checked when a function starts: a deployment that
 * Jumio would refuse, or that would send credentials over plain http, fails its first cold start with a message that
 * names the variable to fix, instead of failing checks one by one later. Messages never repeat a URL, which may hold
 * user info.
 */
public final class ConfigRules {
    /** Jumio's limit for {@code callbackUrl}, and a sane bound for a header value. */
    public static final int MAX_LENGTH = 255;

    private static final String USER_AGENT_RULE = "Jumio requires a User-Agent that names the company and the"
            + " application, such as \"Acme Onboarding/1.4\"";
    private static final String INSECURE_HINT = "ALLOW_INSECURE_URLS=true allows plain http for local runs only";
    /** RFC 9110 {@code product = token ["/" product-version]}; the version must have a digit to be one. */
    private static final Pattern PRODUCT = Pattern
            .compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+)/([!#$%&'*+.^_`|~A-Za-z-]*[0-9][!#$%&'*+.^_`|~0-9A-Za-z-]*)");
    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");
    /**
     * Names that HTTP libraries and tools send by default: they say which library made the call, not who did, which is
     * what Jumio asks to know (and what it treats as suspicious).
     */
    private static final Set<String> GENERIC_CLIENTS = Set.of("java-http-client", "java", "jdk-http-client", "okhttp",
            "curl", "wget", "apache-httpclient", "apache-httpasyncclient", "python-requests", "python-urllib",
            "python-httpx", "aiohttp", "go-http-client", "node-fetch", "axios", "undici", "postmanruntime", "insomnia",
            "httpie", "libwww-perl", "vert.x-webclient", "resteasy", "jersey", "reactor-netty", "mozilla");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private ConfigRules() {
    }

    /** @return the User-Agent to send: {@code JUMIO_USER_AGENT}, trimmed, once it passes Jumio's rule */
    public static String userAgent(Optional<String> configured) {
        String value = configured.map(String::trim).orElse("");
        if (value.isEmpty()) {
            throw new IllegalStateException("JUMIO_USER_AGENT is not set: " + USER_AGENT_RULE);
        }
        if (value.length() > MAX_LENGTH) {
            throw userAgentRefused("it is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw userAgentRefused("it holds a control or non-ASCII character");
            }
        }
        // Products come in decreasing order of significance (RFC 9110), so the first one must be the application.
        String first = null;
        for (String word : COMMENT.matcher(value).replaceAll(" ").trim().split(" +")) {
            Matcher product = PRODUCT.matcher(word);
            if (product.matches()) {
                first = product.group(1);
                break;
            }
        }
        if (first == null) {
            throw userAgentRefused("it has no Name/version product token");
        }
        if (GENERIC_CLIENTS.contains(first.toLowerCase(Locale.ROOT))) {
            throw userAgentRefused("its product \"" + first + "\" is a generic HTTP client, not the application");
        }
        return value;
    }

    private static IllegalStateException userAgentRefused(String why) {
        return new IllegalStateException("JUMIO_USER_AGENT is not usable: " + why + ". " + USER_AGENT_RULE);
    }

    /**
     * A base URL override ({@code JUMIO_AUTH_URL} and the like): absolute, https unless {@code allowInsecure}, with a
     * host, and nothing that a base URL cannot mean (user info, query, fragment).
     *
     * @return the URL without a trailing slash
     */
    public static String baseUrl(String variable, String url, boolean allowInsecure) {
        URI uri = parse(variable, url);
        requireScheme(variable, uri, allowInsecure);
        if (uri.getRawUserInfo() != null) {
            throw new IllegalStateException(variable + " must not carry user info: credentials never go in a URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalStateException(variable + " must be a base URL, without query or fragment");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * {@code JUMIO_CALLBACK_URL}, by Jumio's rules for {@code callbackUrl}: https, a host name (no IP address, no
     * port), no fragment, and at most {@value #MAX_LENGTH} characters including what the product appends. The local
     * stack and the tests ({@code allowInsecure}) call back to plain http on a loopback address and port.
     *
     * @param appendedMax the longest query part the product adds to it (see {@code CallbackKeys})
     */
    public static void callbackUrl(String url, boolean allowInsecure, int appendedMax) {
        String variable = "JUMIO_CALLBACK_URL";
        URI uri = parse(variable, url);
        requireScheme(variable, uri, allowInsecure);
        if (uri.getRawUserInfo() != null) {
            throw new IllegalStateException(variable + " must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalStateException(variable + " must not have a fragment: Jumio refuses such a callbackUrl");
        }
        if (!allowInsecure) {
            if (!hostName(uri.getHost())) {
                throw new IllegalStateException(variable + " must name a host name, not an IP address: Jumio"
                        + " refuses such a callbackUrl");
            }
            if (uri.getPort() != -1) {
                throw new IllegalStateException(variable + " must not name a port: Jumio refuses such a callbackUrl");
            }
        }
        int length = url.length();
        if (length + appendedMax > MAX_LENGTH) {
            throw new IllegalStateException(variable + " is too long: it has " + length + " characters, the product"
                    + " appends up to " + appendedMax + ", and Jumio accepts at most " + MAX_LENGTH
                    + " for callbackUrl");
        }
    }

    private static URI parse(String variable, String url) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
                throw new IllegalStateException(variable + " must be an absolute http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(variable + " is not a valid URL");
        }
    }

    private static void requireScheme(String variable, URI uri, boolean allowInsecure) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (allowInsecure && scheme.equals("http"))) {
            return;
        }
        throw new IllegalStateException(variable + " must use https (" + INSECURE_HINT + ")");
    }

    /**
     * A public DNS name, as opposed to an IP literal or a name only this machine knows ({@code localhost}): an IPv6
     * literal comes bracketed, an IPv4 one (dotted, or a bare number) ends in a numeric label, which no top-level
     * domain is, and a public name has at least two labels.
     */
    static boolean hostName(String host) {
        if (host == null || host.isEmpty() || host.length() > 253 || host.startsWith("[")) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }
}
