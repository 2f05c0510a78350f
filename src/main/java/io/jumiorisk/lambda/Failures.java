package io.jumiorisk.lambda;

import com.fasterxml.jackson.core.JacksonException;

/** Describes an unexpected failure for the log without repeating input that may hold personal data. */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable e) {
        // Parser messages quote the input they choke on; everything else (SDK, our own code) names only ids.
        if (e instanceof JacksonException || e.getMessage() == null) {
            return e.getClass().getName();
        }
        String message = e.getMessage();
        return e.getClass().getName() + ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }
}
