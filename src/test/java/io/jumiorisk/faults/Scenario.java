package io.jumiorisk.faults;

/**
 * One row of the catalogue: what is injected or sent, what must come out, and the code that does it.
 *
 * @param handler the function whose profile runs the scenario (a deployed function serves one handler)
 */
public record Scenario(String id, Category category, Handler handler, String injected, String expected, Body body) {

    public enum Handler {
        INITIATE,
        CALLBACK,
        RETRIEVE
    }

    @FunctionalInterface
    public interface Body {
        void run(Run run) throws Exception;
    }

    /** The test's name: the summary listener reads the category from it. */
    public String displayName() {
        return "[" + category + "] " + id + " " + injected;
    }
}
