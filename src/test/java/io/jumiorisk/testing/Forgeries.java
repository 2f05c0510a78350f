package io.jumiorisk.testing;

import java.util.List;

/** Callbacks that must be refused: each gets the status the callback route answers and nothing is written. */
public final class Forgeries {
    /** One of Jumio's published amer-1 callback sources, allowed in the tests' configuration. */
    public static final String JUMIO_IP = "34.202.241.227";

    public record Forgery(String name, Events event, int status) {
    }

    private Forgeries() {
    }

    /** Forgeries of a genuine callback {@code body}, for the deployment's {@code token}. */
    public static List<Forgery> of(String body, String token) {
        return List.of(
                new Forgery("wrong source IP", Events.callback(body).query("token", token).sourceIp("198.51.100.7"),
                        403),
                new Forgery("IPv6 source", Events.callback(body).query("token", token).sourceIp("2001:db8::7"), 403),
                new Forgery("no token", Events.callback(body).sourceIp(JUMIO_IP), 401),
                new Forgery("wrong token",
                        Events.callback(body).query("token", "x" + token.substring(1)).sourceIp(JUMIO_IP), 401),
                new Forgery("token too short",
                        Events.callback(body).query("token", token.substring(0, 10)).sourceIp(JUMIO_IP), 401),
                new Forgery("token too long", Events.callback(body).query("token", token + "0").sourceIp(JUMIO_IP),
                        401),
                new Forgery("token in a header",
                        Events.callback(body).header("x-callback-token", token).sourceIp(JUMIO_IP), 401),
                new Forgery("token as another parameter",
                        Events.callback(body).query("secret", token).sourceIp(JUMIO_IP), 401),
                new Forgery("empty token", Events.callback(body).query("token", "").sourceIp(JUMIO_IP), 401));
    }
}
