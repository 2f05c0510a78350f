package io.jumiorisk.errors;

/** No check with this id exists (or it has expired from the table). Final. */
public final class CheckNotFound extends ProductError {
    public CheckNotFound(String checkId) {
        super(ErrorContract.CHECK_NOT_FOUND, "No check with id " + checkId, null);
    }
}
