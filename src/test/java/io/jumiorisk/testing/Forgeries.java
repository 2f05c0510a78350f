package io.jumiorisk.testing;

import java.util.List;

import io.jumiorisk.callback.CallbackKeys;

/** Callbacks that must be refused: each gets the status the callback route answers and nothing is written. */
public final class Forgeries {
    /** One of Jumio's published amer-1 callback sources, allowed in the tests' configuration. */
    public static final String JUMIO_IP = "34.202.241.227";
    /** A check id that is not the callback's: its key is genuine, for that other check. */
    private static final String OTHER_CHECK = "0f0e0d0c-0b0a-4908-8706-050403020100";

    public record Forgery(String name, Events event, int status) {
    }

    private Forgeries() {
    }

    /** Forgeries of a genuine callback {@code body} for the check {@code checkId}, under the deployment's secret. */
    public static List<Forgery> of(String body, String checkId, String secret) {
        String sig = CallbackKeys.sign(secret, checkId);
        String otherSig = CallbackKeys.sign(secret, OTHER_CHECK);
        return List.of(
                new Forgery("wrong source IP", genuine(body, checkId, secret).sourceIp("198.51.100.7"), 403),
                new Forgery("IPv6 source", genuine(body, checkId, secret).sourceIp("2001:db8::7"), 403),
                new Forgery("no key", Events.callback(body).sourceIp(JUMIO_IP), 401),
                new Forgery("check id without its key",
                        Events.callback(body).query("check", checkId).sourceIp(JUMIO_IP),
                        401),
                new Forgery("key without its check id", Events.callback(body).query("sig", sig).sourceIp(JUMIO_IP),
                        401),
                new Forgery("key with one character changed", Events.callback(body).query("check", checkId)
                        .query("sig", (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1)).sourceIp(JUMIO_IP), 401),
                new Forgery("key too short",
                        Events.callback(body).query("check", checkId).query("sig", sig.substring(0, 32))
                                .sourceIp(JUMIO_IP),
                        401),
                new Forgery("key too long",
                        Events.callback(body).query("check", checkId).query("sig", sig + "0").sourceIp(JUMIO_IP), 401),
                new Forgery("key in upper case",
                        Events.callback(body).query("check", checkId).query("sig", sig.toUpperCase())
                                .sourceIp(JUMIO_IP),
                        401),
                new Forgery("another check's key for this check",
                        Events.callback(body).query("check", checkId).query("sig", otherSig).sourceIp(JUMIO_IP), 401),
                new Forgery("another check's genuine URL for this check's workflow",
                        Events.callback(body).signedFor(OTHER_CHECK, secret).sourceIp(JUMIO_IP), 401),
                new Forgery("key under another secret",
                        Events.callback(body).signedFor(checkId, secret + "-not").sourceIp(JUMIO_IP), 401),
                new Forgery("key in a header", Events.callback(body).query("check", checkId)
                        .header("x-callback-signature", sig).sourceIp(JUMIO_IP), 401),
                new Forgery("the secret itself as the key",
                        Events.callback(body).query("check", checkId).query("sig", secret).sourceIp(JUMIO_IP), 401),
                new Forgery("empty key", Events.callback(body).query("check", checkId).query("sig", "")
                        .sourceIp(JUMIO_IP), 401));
    }

    private static Events genuine(String body, String checkId, String secret) {
        return Events.callback(body).signedFor(checkId, secret);
    }
}
