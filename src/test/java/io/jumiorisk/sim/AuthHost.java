package io.jumiorisk.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Req;
import io.jumiorisk.sim.Http.Response;

/**
 * auth.{region}.jumio.ai: the OAuth2 client-credentials token endpoint, and the check that the account and retrieval
 * hosts make on the access tokens it issued. Tokens are JWTs signed with a key of this simulator ({@link TokenFormat}
 * says which kind), valid until their {@code exp}. As Jumio's docs allow, consecutive requests may get the same token
 * while {@code expires_in} states the full lifetime, and the {@code exp} may come before {@code expires_in} says.
 */
final class AuthHost {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Tenant tenant;
    private final Links links;
    private final byte[] hmacKey = new byte[64];
    private final SecureRandom random = new SecureRandom();
    /** OAuth access token → expiry (epoch millis). */
    private final Map<String, Long> oauthTokens = new ConcurrentHashMap<>();
    /** Which OAuth2 client each access token was issued to: its permissions go with it. */
    private final Map<String, String> tokenClients = new ConcurrentHashMap<>();
    /** The token handed out last, which {@link SimulatorConfig#reuseAccessTokens()} hands out again. */
    private volatile String last;

    AuthHost(Tenant tenant, Links links) {
        this.tenant = tenant;
        this.links = links;
        random.nextBytes(hmacKey);
    }

    void routes(Router router) {
        router.at("/auth/oauth2/token").on("POST", Endpoint.TOKEN, this::token);
    }

    /** All tokens issued so far become invalid. */
    void revokeAll() {
        oauthTokens.clear();
        tokenClients.clear();
        last = null;
    }

    private Response token(Req r) {
        if (r.forceUnauthorized()) {
            return oauthError(401, "invalid_client");
        }
        String[] creds = parseBasic(r.header("Authorization"));
        SimulatorConfig c = tenant.cfg();
        boolean main = creds != null && creds[0].equals(c.clientId()) && creds[1].equals(c.clientSecret());
        boolean eraser = creds != null && creds[0].equals(c.eraserClientId())
                && creds[1].equals(c.eraserClientSecret());
        if (!main && !eraser) {
            return oauthError(401, "invalid_client");
        }
        tenant.tokenLimiter(creds[0]).acquire();
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return oauthError(400, "invalid_request");
        }
        String grant = Http.parseForm(r.bodyText()).get("grant_type");
        if (grant == null) {
            return oauthError(400, "invalid_request");
        }
        if (!grant.equals("client_credentials")) {
            return oauthError(400, "unsupported_grant_type");
        }
        int lifetime = c.tokenLifetimeSeconds();
        String token = c.reuseAccessTokens() && isValid(last) && creds[0].equals(tokenClients.get(last))
                ? last
                : issue(creds[0], c);
        last = token;
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("access_token", token);
        n.put("expires_in", lifetime);
        n.put("token_type", "Bearer");
        return Http.json(200, n, Map.of("Cache-Control", "no-store"));
    }

    /** A new access token, valid for {@code accessTokenExpSeconds} when set, else for {@code tokenLifetimeSeconds}. */
    private String issue(String clientId, SimulatorConfig c) {
        int valid = c.accessTokenExpSeconds() > 0 ? c.accessTokenExpSeconds() : c.tokenLifetimeSeconds();
        long now = System.currentTimeMillis();
        ObjectNode claims = Http.JSON.createObjectNode();
        claims.put("iss", links.auth());
        claims.put("sub", clientId);
        claims.put("iat", now / 1000);
        claims.put("exp", now / 1000 + valid);
        claims.put("jti", Http.uuid());
        claims.put("scope", "initiate retrieve delete");
        String token = sign(claims, c.accessTokenFormat());
        oauthTokens.put(token, now + valid * 1000L);
        tokenClients.put(token, clientId);
        tenant.issued(token);
        return token;
    }

    /** OAuth2's own error format, not Jumio's problem details. */
    private static Response oauthError(int status, String error) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("error", error);
        Map<String, String> h = status == 401 ? Map.of("WWW-Authenticate", "Basic realm=\"jumio\"") : null;
        return Http.json(status, n, h);
    }

    private static String[] parseBasic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int i = decoded.indexOf(':');
            return i < 0 ? null : new String[]{decoded.substring(0, i), decoded.substring(i + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A token with these claims (also the workflow api.tokens that the account host hands out). */
    String sign(ObjectNode claims, TokenFormat format) {
        return switch (format) {
            case JWT -> jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "HmacSHA256", Http.bytes(claims));
            case JWT_GZIP -> jwt("{\"alg\":\"HS512\",\"zip\":\"GZIP\"}", "HmacSHA512", gzip(Http.bytes(claims)));
            case OPAQUE -> {
                byte[] b = new byte[32];
                random.nextBytes(b);
                yield B64URL.encodeToString(b);
            }
        };
    }

    private String jwt(String header, String macAlgorithm, byte[] payload) {
        String signed = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload);
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(hmacKey, macAlgorithm));
            return signed + "." + B64URL.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Whether this is an OAuth access token issued here and not yet expired or revoked. */
    boolean isValid(String token) {
        if (token == null) {
            return false;
        }
        Long exp = oauthTokens.get(token);
        return exp != null && System.currentTimeMillis() < exp;
    }

    /** The client an {@code Authorization: Bearer} header's token was issued to; null when it is not one of ours. */
    String clientOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        return tokenClients.get(authorization.substring("Bearer ".length()));
    }

    /** OAuth bearer token required (account and retrieval hosts); a workflow api.token is refused with 403. */
    /** @return the OAuth2 client the request's access token was issued to */
    String requireOAuth(Req r) {
        if (r.forceUnauthorized()) {
            throw Http.unauthorized();
        }
        String t = r.bearer();
        if (isValid(t)) {
            return tokenClients.get(t);
        }
        if (tenant.workflowToken(t) != null) {
            throw new ApiException(403, "A workflow execution token cannot be used for this operation");
        }
        throw Http.unauthorized();
    }
}
