package io.jumiorisk.errors;

/** Jumio refused a request with a 4xx that a retry cannot fix (configuration, permissions, unknown account). Final. */
public final class JumioRejected extends ProductError {
    public JumioRejected(String message) {
        super(ErrorContract.JUMIO_REJECTED, message, null);
    }
}
