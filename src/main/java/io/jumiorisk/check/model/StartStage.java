package io.jumiorisk.check.model;

/** The call to Jumio that a start was making when it failed. */
public enum StartStage {
    ACCOUNT,
    RESUME,
    UPLOAD,
    FINALIZE
}
