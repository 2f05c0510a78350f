package io.jumiorisk.sim;

/** Token bucket; a rate of 0 or less never limits. */
final class RateLimiter {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(double rate, double capacity) {
        this.rate = rate;
        this.capacity = capacity;
        this.tokens = capacity;
    }

    /**
     * Takes a token, or throws Jumio's 429 when the bucket is empty, with a Retry-After of the whole seconds until
     * the next token (at least 1).
     */
    void acquire() {
        long wait = secondsUntilTaken();
        if (wait > 0) {
            throw Http.tooManyRequests(wait);
        }
    }

    /** 0 when a token was taken, else the whole seconds until one will be there. */
    private synchronized long secondsUntilTaken() {
        if (rate <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    }
}
