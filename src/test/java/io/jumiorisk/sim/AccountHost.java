package io.jumiorisk.sim;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Req;
import io.jumiorisk.sim.Http.Response;

/**
 * account.{region}.jumio.ai: a POST creates an account, a PUT adds to an existing one; both start a workflow
 * execution and hand out its api.token with the upload and finalize URLs on the api host.
 */
final class AccountHost {

    /** The fields of an account request that the simulator keeps. */
    record AccountRequest(String key, String customerInternalReference, String userReference, String callbackUrl,
            long tokenLifetimeSeconds) {
    }

    static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 30 * 60;

    private static final String CIR_FORBIDDEN = "<>\"/;`%{}|";
    private static final Pattern TOKEN_LIFETIME = Pattern.compile("^([+-]?\\d+)([smhd])$");

    private final Tenant tenant;
    private final AuthHost auth;
    private final Links links;

    AccountHost(Tenant tenant, AuthHost auth, Links links) {
        this.tenant = tenant;
        this.auth = auth;
        this.links = links;
    }

    void routes(Router router) {
        router.at("/account/api/v1/accounts/?").on("POST", Endpoint.ACCOUNT_CREATE, this::create);
        router.at("/account/api/v1/accounts/" + Router.ID).on("PUT", Endpoint.ACCOUNT_UPDATE, this::update);
    }

    private Response create(Req r) {
        admit(r);
        AccountRequest ar = parse(r);
        return started(tenant.newAccount(), ar);
    }

    private Response update(Req r) {
        admit(r);
        Account acc = tenant.account(r.param(0));
        return started(acc, parse(r));
    }

    private void admit(Req r) {
        if (auth.requireOAuth(r).equals(tenant.cfg().eraserClientId())) {
            throw new ApiException(403, "The OAuth2 client lacks the 'initiate' permission");
        }
        tenant.accountLimiter().acquire();
    }

    private Response started(Account acc, AccountRequest ar) {
        long now = System.currentTimeMillis();
        Workflow wf = start(acc, ar, now);
        ObjectNode n = wf.receipt(now);
        ObjectNode cred = ((ObjectNode) n.get("workflowExecution")).putArray("credentials").addObject();
        cred.put("id", wf.credentialId);
        cred.put("category", "DATA");
        cred.putArray("allowedChannels").add("API");
        ObjectNode api = cred.putObject("api");
        api.put("token", wf.apiToken);
        api.putObject("parts").put("prepared_data", links.uploadLink(wf));
        api.put("workflowExecution", links.finalizeLink(wf));
        return Http.json(200, n);
    }

    /** Starts a workflow execution in {@code acc}, with its own api.token. */
    Workflow start(Account acc, AccountRequest ar, long now) {
        String wfId = Http.uuid();
        long tokenExp = now + ar.tokenLifetimeSeconds() * 1000L;
        ObjectNode claims = Http.JSON.createObjectNode();
        claims.put("iss", links.api());
        claims.put("sub", wfId);
        claims.put("acc", acc.id);
        claims.put("iat", now / 1000);
        claims.put("exp", tokenExp / 1000);
        claims.put("jti", Http.uuid());
        Workflow wf = new Workflow(wfId, acc.id, Http.uuid(), ar.key(), ar.customerInternalReference(),
                ar.userReference(), ar.callbackUrl(), auth.sign(claims, tenant.cfg().workflowTokenFormat()), tokenExp,
                now);
        tenant.add(acc, wf);
        return wf;
    }

    private static AccountRequest parse(Req r) {
        Http.requireJsonContentType(r);
        JsonNode body = Http.parseJsonObject(r.body());
        JsonNode cirNode = body.get("customerInternalReference");
        if (cirNode == null || cirNode.isNull()) {
            throw Http.bad("customerInternalReference is required");
        }
        String cir = requireText(cirNode, "customerInternalReference", 1, 100);
        for (char ch : cir.toCharArray()) {
            if (CIR_FORBIDDEN.indexOf(ch) >= 0) {
                throw Http.bad("customerInternalReference contains a forbidden character '" + ch + "'");
            }
        }
        String key = workflowKey(body.get("workflowDefinition"));
        String userReference = optionalText(body, "userReference", 1, 100);
        optionalText(body, "reportingCriteria", 1, 255);
        String callbackUrl = callbackUrl(optionalText(body, "callbackUrl", 1, 255));
        long lifetime = tokenLifetimeSeconds(optionalText(body, "tokenLifetime", 1, 20));
        JsonNode consent = body.get("userConsent");
        if (consent != null && !consent.isNull() && !consent.isObject()) {
            throw Http.bad("userConsent must be an object");
        }
        return new AccountRequest(key, cir, userReference, callbackUrl, lifetime);
    }

    /** {@code workflowDefinition.key}: a number in Jumio's docs, a string in some integrations. */
    private static String workflowKey(JsonNode wd) {
        if (wd == null || wd.isNull()) {
            throw Http.bad("workflowDefinition is required");
        }
        if (!wd.isObject()) {
            throw Http.bad("workflowDefinition must be an object");
        }
        JsonNode keyNode = wd.get("key");
        String key;
        if (keyNode == null || keyNode.isNull()) {
            throw Http.bad("workflowDefinition.key is required");
        } else if (keyNode.isIntegralNumber()) {
            key = keyNode.asText();
        } else if (keyNode.isTextual() && !keyNode.asText().isBlank()) {
            key = keyNode.asText().trim();
        } else {
            throw Http.bad("workflowDefinition.key must be a number or a non-empty string");
        }
        JsonNode creds = wd.get("credentials");
        if (creds != null && !creds.isNull() && !creds.isArray()) {
            throw Http.bad("workflowDefinition.credentials must be an array");
        }
        JsonNode caps = wd.get("capabilities");
        if (caps != null && !caps.isNull() && !caps.isObject()) {
            throw Http.bad("workflowDefinition.capabilities must be an object");
        }
        return key;
    }

    /** Lenient on the scheme (http too), so that tests can receive callbacks on a plain local server. */
    private static String callbackUrl(String callbackUrl) {
        if (callbackUrl != null) {
            try {
                URI u = new URI(callbackUrl);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null) {
                    throw Http.bad("callbackUrl must be an absolute https URL");
                }
                if (u.getRawFragment() != null) {
                    throw Http.bad("callbackUrl must not contain a fragment");
                }
            } catch (URISyntaxException e) {
                throw Http.bad("callbackUrl is not a valid URL");
            }
        }
        return callbackUrl;
    }

    /** {@code tokenLifetime} ({@code ^([+-]?\d+)([smhd])$}, 5m..60d) in seconds; 30 minutes when absent. */
    private static long tokenLifetimeSeconds(String tl) {
        if (tl == null) {
            return DEFAULT_TOKEN_LIFETIME_SECONDS;
        }
        Matcher m = TOKEN_LIFETIME.matcher(tl);
        if (!m.matches()) {
            throw Http.bad("tokenLifetime must match ^([+-]?\\d+)([smhd])$");
        }
        long v;
        try {
            v = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw Http.bad("tokenLifetime is out of range (5m..60d)");
        }
        long unit = switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            default -> 86400;
        };
        long lifetime = v * unit;
        if (v > 60L * 86400 || lifetime < 300 || lifetime > 60L * 86400) {
            throw Http.bad("tokenLifetime is out of range (5m..60d)");
        }
        return lifetime;
    }

    private static String requireText(JsonNode n, String field, int min, int max) {
        if (!n.isTextual()) {
            throw Http.bad(field + " must be a string");
        }
        String s = n.asText();
        if (s.length() < min || s.length() > max) {
            throw Http.bad(field + " must be " + min + "-" + max + " characters long");
        }
        return s;
    }

    private static String optionalText(JsonNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        return requireText(n, field, min, max);
    }
}
