package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code Retry-After} is read: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
class JumioHttpTest {

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }

    @Test
    void delaySecondsAreMilliseconds() {
        assertThat(JumioHttp.retryAfterMillis("120")).isEqualTo(120_000L);
        assertThat(JumioHttp.retryAfterMillis("1")).isEqualTo(1_000L);
        assertThat(JumioHttp.retryAfterMillis("0")).isZero();
        assertThat(JumioHttp.retryAfterMillis(" 7 ")).isEqualTo(7_000L);
        assertThat(JumioHttp.retryAfterMillis("86400")).isEqualTo(86_400_000L);
    }

    @Test
    void negativeSecondsMeanNoPause() {
        assertThat(JumioHttp.retryAfterMillis("-5")).isZero();
        assertThat(JumioHttp.retryAfterMillis("-1")).isZero();
    }

    @Test
    void aFutureHttpDateIsTheTimeUntilThen() {
        long before = System.currentTimeMillis();
        // HTTP-dates have whole seconds: 90 s from now, rounded down, is 89 to 90 s away.
        Long millis = JumioHttp.retryAfterMillis(httpDate(Instant.ofEpochMilli(before).plusSeconds(90)));
        long elapsed = System.currentTimeMillis() - before;

        assertThat(millis).isBetween(89_000L - elapsed, 90_000L);
    }

    @Test
    void anHttpDateInAnotherZoneIsTheSameInstant() {
        Instant at = Instant.ofEpochSecond(System.currentTimeMillis() / 1000 + 60);
        String inBerlin = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(at,
                ZoneId.of("+02:00")));

        assertThat(JumioHttp.retryAfterMillis(inBerlin)).isBetween(55_000L, 60_000L);
    }

    @Test
    void aPastHttpDateMeansNoPause() {
        assertThat(JumioHttp.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(JumioHttp.retryAfterMillis(httpDate(Instant.now().minusSeconds(5)))).isZero();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t"})
    void aMissingOrBlankHeaderIsNoRequest(String header) {
        assertThat(JumioHttp.retryAfterMillis(header)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "1.5", "12abc", "5 s", "0x10", "2015-10-21T07:28:00Z",
            "Wed, 32 Oct 2015 07:28:00 GMT",
            "Someday, 21 Oct 2015 07:28:00 GMT", "99999999999999999999"})
    void garbageIsNoRequest(String header) {
        assertThat(JumioHttp.retryAfterMillis(header)).isNull();
    }

    @Test
    void aHugeDelayIsStillAHugePause() {
        assertThat(JumioHttp.retryAfterMillis("9223372036854775807")).isGreaterThanOrEqualTo(86_400_000L);
        assertThat(JumioHttp.retryAfterMillis("9223372036854776")).isGreaterThanOrEqualTo(86_400_000L);
    }
}
