package io.jumiorisk.check.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a start failed for good. Its {@link #code()} is what callers see and what the table keeps:
 * {@code JUMIO_400_UPLOAD} (Jumio refused a call with that status), {@code UNTRUSTED_URL_FINALIZE} (Jumio's answer
 * named a URL that is not its API host, so nothing was sent there), {@code AMBIGUOUS_ACCOUNT_ANSWERS} (every account
 * request was answered ambiguously, as many times as allowed).
 *
 * @param jumioStatus the HTTP status Jumio answered, or 0 when none applies
 * @param stage the call, or null when none is known
 */
public record FailureReason(Cause cause, int jumioStatus, StartStage stage) {
    private static final Pattern REFUSED = Pattern.compile("JUMIO_(\\d{1,3})_([A-Z]+)");
    private static final Pattern UNTRUSTED = Pattern.compile("UNTRUSTED_URL_([A-Z]+)");
    private static final String AMBIGUOUS = "AMBIGUOUS_ACCOUNT_ANSWERS";

    public enum Cause {
        /** Jumio refused a call with a 4xx that no retry mends. */
        JUMIO_REFUSED,
        /** Jumio's answer named an upload or finalize URL that is not Jumio's API host. */
        UNTRUSTED_URL,
        /** The account request was answered ambiguously as many times as a check allows. */
        AMBIGUOUS_ANSWERS
    }

    public static FailureReason refused(int jumioStatus, StartStage stage) {
        return new FailureReason(Cause.JUMIO_REFUSED, jumioStatus, stage);
    }

    public static FailureReason untrustedUrl(StartStage stage) {
        return new FailureReason(Cause.UNTRUSTED_URL, 0, stage);
    }

    public static FailureReason ambiguousAnswers() {
        return new FailureReason(Cause.AMBIGUOUS_ANSWERS, 0, StartStage.ACCOUNT);
    }

    public String code() {
        String at = stage == null ? "START" : stage.name();
        return switch (cause) {
            case JUMIO_REFUSED -> "JUMIO_" + jumioStatus + "_" + at;
            case UNTRUSTED_URL -> "UNTRUSTED_URL_" + at;
            case AMBIGUOUS_ANSWERS -> AMBIGUOUS;
        };
    }

    /** Reads a stored code; one this version cannot read becomes "refused, status and call unknown". */
    public static FailureReason parse(String code) {
        if (AMBIGUOUS.equals(code)) {
            return ambiguousAnswers();
        }
        Matcher untrusted = code == null ? null : UNTRUSTED.matcher(code);
        if (untrusted != null && untrusted.matches()) {
            return untrustedUrl(stage(untrusted.group(1)));
        }
        Matcher refused = code == null ? null : REFUSED.matcher(code);
        if (refused == null || !refused.matches()) {
            return refused(0, null);
        }
        return refused(Integer.parseInt(refused.group(1)), stage(refused.group(2)));
    }

    private static StartStage stage(String name) {
        for (StartStage s : StartStage.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
