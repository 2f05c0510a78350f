package io.jumiorisk.errors;

/** Jumio refused a request with a 4xx that a retry cannot fix (configuration, permissions, unknown account). Final. */
public final class JumioRejected extends ProductError {
    private final int jumioStatus;

    public JumioRejected(String message, int jumioStatus) {
        super(message);
        this.jumioStatus = jumioStatus;
    }

    public int jumioStatus() {
        return jumioStatus;
    }

    @Override
    public boolean transientFailure() {
        return false;
    }

    @Override
    public int httpStatus() {
        return 502;
    }

    @Override
    public String code() {
        return "jumio-rejected";
    }
}
