package io.jumiorisk.check;

import java.util.regex.Pattern;

import io.jumiorisk.errors.InvalidRequest;

/** Check ids are the lower-case UUIDs that {@code POST /checks} hands out; anything else is refused before a read. */
public final class CheckIds {
    private static final Pattern CHECK_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private CheckIds() {
    }

    public static void validate(String checkId) {
        if (checkId == null || !CHECK_ID.matcher(checkId).matches()) {
            throw InvalidRequest.of("checkId", "must be a check id as returned by POST /checks (a lower-case UUID)");
        }
    }
}
