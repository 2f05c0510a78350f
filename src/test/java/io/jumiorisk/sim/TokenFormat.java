package io.jumiorisk.sim;

/** How the simulator writes a token it hands out. */
public enum TokenFormat {
    /** A JWT with the header {@code {"alg":"HS256","typ":"JWT"}} and a plain JSON payload (default). */
    JWT,
    /**
     * A JWT with the header {@code {"alg":"HS512","zip":"GZIP"}}, whose payload is the base64url of the gzip of the
     * JSON claims, as seen on Jumio's tokens in recorded real answers.
     */
    JWT_GZIP,
    /** Not a JWT: 43 random base64url characters without a dot, so that only {@code expires_in} tells its lifetime. */
    OPAQUE
}
