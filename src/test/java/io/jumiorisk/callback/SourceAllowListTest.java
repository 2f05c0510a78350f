package io.jumiorisk.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Permission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jumiorisk.jumio.JumioEndpoints;
import io.jumiorisk.jumio.JumioRegion;
import io.jumiorisk.testing.StubJumioConfig;

class SourceAllowListTest {

    /** {@code CALLBACK_ALLOWED_SOURCES} as the given entries, in amer-1. */
    private static SourceAllowList allowList(String... entries) {
        return inRegion("amer-1", entries);
    }

    /** {@code JUMIO_REGION} and {@code CALLBACK_ALLOWED_SOURCES}; no entries: the variable is not set. */
    private static SourceAllowList inRegion(String region, String... entries) {
        Optional<List<String>> sources = entries.length == 0 ? Optional.empty() : Optional.of(List.of(entries));
        CallbackConfig config = new CallbackConfig() {
            @Override
            public Optional<String> token() {
                return Optional.empty();
            }

            @Override
            public Optional<String> previousToken() {
                return Optional.empty();
            }

            @Override
            public Optional<String> tokenSecretId() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> allowedSources() {
                return sources;
            }

            @Override
            public Duration fetchBudget() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int maxBodyBytes() {
                return 16384;
            }
        };
        return new SourceAllowList(config, new JumioEndpoints(StubJumioConfig.defaults().withRegion(region)));
    }

    @Test
    void ipv4CidrsMatchTheirNetworkOnly() {
        SourceAllowList list = allowList("10.0.0.0/8", "192.168.4.0/22", "203.0.113.7");

        assertThat(list.allows("10.0.0.0")).isTrue();
        assertThat(list.allows("10.255.255.255")).isTrue();
        assertThat(list.allows("11.0.0.0")).isFalse();
        assertThat(list.allows("9.255.255.255")).isFalse();
        // A prefix that does not end on a byte boundary: 192.168.4.0 - 192.168.7.255.
        assertThat(list.allows("192.168.4.0")).isTrue();
        assertThat(list.allows("192.168.7.255")).isTrue();
        assertThat(list.allows("192.168.3.255")).isFalse();
        assertThat(list.allows("192.168.8.0")).isFalse();
        // A bare address is a /32.
        assertThat(list.allows("203.0.113.7")).isTrue();
        assertThat(list.allows("203.0.113.6")).isFalse();
        assertThat(list.allows("203.0.113.8")).isFalse();
    }

    @Test
    void hostBitsInTheNetworkAreIgnoredAndSlashZeroIsEveryIpv4AddressButNoIpv6One() {
        assertThat(allowList("10.1.2.3/8").allows("10.200.0.1")).isTrue();
        assertThat(allowList("10.1.2.3/8").allows("11.1.2.3")).isFalse();
        SourceAllowList all4 = allowList("0.0.0.0/0");
        assertThat(all4.allows("1.2.3.4")).isTrue();
        assertThat(all4.allows("255.255.255.255")).isTrue();
        assertThat(all4.allows("2001:db8::1")).isFalse();
    }

    @Test
    void ipv6CidrsMatchTheirNetworkOnly() {
        SourceAllowList list = allowList("2001:db8::/32", "2001:db9:8000::/33", "::1");

        assertThat(list.allows("2001:db8::")).isTrue();
        assertThat(list.allows("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(list.allows("2001:DB8:1::AB")).as("upper-case hex").isTrue();
        assertThat(list.allows("2001:0db8:0000:0000:0000:0000:0000:0001")).as("uncompressed").isTrue();
        assertThat(list.allows("2001:db7:ffff::1")).isFalse();
        assertThat(list.allows("2001:dba::1")).isFalse();
        // /33: only the upper half of 2001:db9::/32.
        assertThat(list.allows("2001:db9:8000::1")).isTrue();
        assertThat(list.allows("2001:db9:ffff::1")).isTrue();
        assertThat(list.allows("2001:db9:7fff::1")).isFalse();
        assertThat(list.allows("::1")).isTrue();
        assertThat(list.allows("::2")).isFalse();
        assertThat(list.allows("127.0.0.1")).as("an IPv4 address is not in an IPv6 range").isFalse();
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4AddressItCarries() {
        SourceAllowList list = allowList("203.0.113.0/24");

        assertThat(list.allows("::ffff:203.0.113.9")).isTrue();
        assertThat(list.allows("::FFFF:cb00:7109")).as("203.0.113.9 in hex").isTrue();
        assertThat(list.allows("0:0:0:0:0:ffff:203.0.113.200")).isTrue();
        assertThat(list.allows("::ffff:203.0.114.9")).isFalse();
        // IPv4-compatible (::a.b.c.d, deprecated) is not the mapped form: it stays an IPv6 address.
        assertThat(list.allows("::203.0.113.9")).isFalse();
        // And a mapped entry allows the plain IPv4 address.
        assertThat(allowList("::ffff:198.51.100.4").allows("198.51.100.4")).isTrue();
        assertThat(allowList("::ffff:198.51.100.4").allows("198.51.100.5")).isFalse();
    }

    @Test
    void anIpv4MappedCidrIsTheIpv4CidrItCarries() {
        SourceAllowList list = allowList("::ffff:10.0.0.0/104");

        assertThat(list.allows("10.1.2.3")).isTrue();
        assertThat(list.allows("::ffff:10.255.0.1")).isTrue();
        assertThat(list.allows("11.0.0.1")).isFalse();
    }

    @Test
    void withoutTheSettingJumiosPublishedAddressesForTheRegionAreAllowed() {
        SourceAllowList amer = inRegion("amer-1");
        for (String ip : JumioRegion.AMER_1.callbackSources()) {
            assertThat(amer.allows(ip)).as(ip).isTrue();
        }
        assertThat(amer.allows(JumioRegion.EMEA_1.callbackSources().get(0))).isFalse();
        assertThat(amer.allows("127.0.0.1")).isFalse();

        SourceAllowList emea = inRegion("EU");
        assertThat(emea.allows("35.157.27.193")).isTrue();
        assertThat(emea.allows("34.202.241.227")).as("an amer-1 address").isFalse();
    }

    @Test
    void blankEntriesCountAsNoSettingAndTrimmedEntriesStillParse() {
        assertThat(inRegion("amer-1", " ", "").allows("34.202.241.227")).isTrue();
        SourceAllowList trimmed = allowList(" 198.51.100.0/24 ");
        assertThat(trimmed.allows("198.51.100.77")).isTrue();
        assertThat(trimmed.allows("34.202.241.227")).as("a setting replaces the region's list").isFalse();
    }

    @Test
    void aStarAllowsEveryoneEvenNextToOtherEntries() {
        for (SourceAllowList list : List.of(allowList("*"), allowList("10.0.0.0/8", " * "))) {
            assertThat(list.allows("8.8.8.8")).isTrue();
            assertThat(list.allows("2001:db8::1")).isTrue();
            assertThat(list.allows("not an address")).isTrue();
            assertThat(list.allows(null)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "localhost", "example.com", "jumio.ai", "34.202.241.227 ", " 34.202.241.227",
            "34.202.241.227/32", "34.202.241.227:443", "[::1]", "::1%lo", "http://34.202.241.227", "1:2:3:4:5:6:7:8:9",
            "1::2::3", ":::", "12345::"})
    void namesAndGarbageAreRefusedWithoutANameLookup(String source) {
        SourceAllowList everyAddress = allowList("0.0.0.0/0", "::/0");

        List<String> lookups = lookupsDuring(() -> assertThat(everyAddress.allows(source)).isFalse());

        assertThat(lookups).isEmpty();
    }

    @Test
    void aMissingSourceIsRefused() {
        assertThat(allowList("0.0.0.0/0", "::/0").allows(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cafe", "dead.beef", "1.2.3.4.5", "999.1.1.1", "ab", "1e100"})
    void hexLookingNamesAndMalformedAddressesAreRefusedWithoutANameLookup(String source) {
        SourceAllowList everyAddress = allowList("0.0.0.0/0", "::/0");

        List<String> lookups = lookupsDuring(() -> {
            assertThat(everyAddress.allows(source)).isFalse();
            assertThatThrownBy(() -> allowList(source)).isInstanceOf(IllegalArgumentException.class);
        });

        assertThat(lookups).isEmpty();
    }

    @Test
    void entriesThatAreNotAddressesStopTheFunctionFromStarting() {
        for (String entry : List.of("localhost", "example.com/24", "10.0.0.0-10.0.0.255", "10.0.0.0 /8")) {
            List<String> lookups = lookupsDuring(() -> assertThatThrownBy(() -> allowList(entry))
                    .as(entry).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CALLBACK_ALLOWED_SOURCES"));
            assertThat(lookups).as(entry).isEmpty();
        }
    }

    @Test
    void prefixLengthsOutsideTheAddressAreRefused() {
        for (String entry : List.of("10.0.0.0/33", "10.0.0.0/-1", "2001:db8::/129", "::/-1")) {
            assertThatThrownBy(() -> allowList(entry)).as(entry).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CALLBACK_ALLOWED_SOURCES").hasMessageContaining("prefix length");
        }
        for (String entry : List.of("10.0.0.0/", "10.0.0.0/eight", "10.0.0.0/8/9", "2001:db8::/1.5")) {
            assertThatThrownBy(() -> allowList(entry)).as(entry).isInstanceOf(IllegalArgumentException.class);
        }
        // The extremes are fine.
        assertThat(allowList("10.0.0.1/32").allows("10.0.0.1")).isTrue();
        assertThat(allowList("::1/128").allows("::1")).isTrue();
        assertThat(allowList("::/0").allows("2001:db8::1")).isTrue();
    }

    /**
     * Runs {@code action} with every host-name lookup made on this thread refused and recorded. On Java 17 a
     * SecurityManager is the one hook that {@link java.net.InetAddress} offers: it asks {@code checkConnect(host, -1)}
     * before it resolves a name, and never for an address literal. Every other permission is granted, and the previous
     * manager (none) is put back.
     */
    @SuppressWarnings("removal")
    private static List<String> lookupsDuring(Runnable action) {
        List<String> lookups = new ArrayList<>();
        Thread me = Thread.currentThread();
        SecurityManager previous = System.getSecurityManager();
        SecurityManager recorder = new SecurityManager() {
            @Override
            public void checkPermission(Permission permission) {
            }

            @Override
            public void checkPermission(Permission permission, Object context) {
            }

            @Override
            public void checkConnect(String host, int port) {
                if (port == -1 && Thread.currentThread() == me) {
                    lookups.add(host);
                    throw new SecurityException("name lookup of " + host);
                }
            }
        };
        try {
            System.setSecurityManager(recorder);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("this JVM allows no SecurityManager, the only way to watch name lookups");
        }
        try {
            action.run();
        } finally {
            System.setSecurityManager(previous);
        }
        return lookups;
    }
}
