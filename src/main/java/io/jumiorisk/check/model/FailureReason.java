package io.jumiorisk.check.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a start failed for good: the HTTP status Jumio refused it with, and at which call. Its {@link #code()}, such as
 * {@code JUMIO_400_UPLOAD}, is what callers see and what the table keeps.
 *
 * @param jumioStatus the HTTP status, or 0 when none is known
 * @param stage the call, or null when none is known
 */
public record FailureReason(int jumioStatus, StartStage stage) {
    private static final Pattern CODE = Pattern.compile("JUMIO_(\\d{1,3})_([A-Z]+)");

    public String code() {
        return "JUMIO_" + jumioStatus + "_" + (stage == null ? "START" : stage.name());
    }

    /** Reads a stored code; one this version cannot read becomes "status and call unknown". */
    public static FailureReason parse(String code) {
        Matcher m = code == null ? null : CODE.matcher(code);
        if (m == null || !m.matches()) {
            return new FailureReason(0, null);
        }
        StartStage stage = null;
        for (StartStage s : StartStage.values()) {
            if (s.name().equals(m.group(2).toUpperCase(Locale.ROOT))) {
                stage = s;
            }
        }
        return new FailureReason(Integer.parseInt(m.group(1)), stage);
    }
}
