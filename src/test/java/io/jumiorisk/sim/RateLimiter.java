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

    /** Takes a token, or throws Jumio's 429 (Retry-After: 1) when the bucket is empty. */
    void acquire() {
        if (!tryAcquire()) {
            throw Http.tooManyRequests();
        }
    }

    private synchronized boolean tryAcquire() {
        if (rate <= 0) {
            return true;
        }
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
