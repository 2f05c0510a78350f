package io.jumiorisk.faults;

/** The suite's categories, as the catalogue and the closing summary name them. */
public enum Category {
    /** Jumio, DynamoDB or Step Functions misbehaving; the process dying; callbacks lost or repeated; races. */
    FAULT,
    /** Requests that break a rule or try to abuse the parser. */
    BAD_INPUT,
    /** Callbacks that did not come from Jumio, or came once and are replayed. */
    FORGED_CALLBACK
}
