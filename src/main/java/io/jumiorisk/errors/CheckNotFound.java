package io.jumiorisk.errors;

/** No check with this id exists (or it has expired from the table). Final. */
public final class CheckNotFound extends ProductError {
    public CheckNotFound(String checkId) {
        super("No check with id " + checkId);
    }

    @Override
    public boolean transientFailure() {
        return false;
    }

    @Override
    public int httpStatus() {
        return 404;
    }

    @Override
    public String code() {
        return "check-not-found";
    }
}
