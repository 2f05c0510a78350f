package io.jumiorisk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * IP address literals, parsed without ever looking up a name: {@code InetAddress.getByName} resolves whatever is not
 * a literal, so a forged value such as {@code cafe} would otherwise cause a DNS query.
 */
public final class IpAddresses {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddresses() {
    }

    /** An address literal that was parsed, and whether it was written as IPv6 (an IPv4-mapped one included). */
    public record Literal(byte[] address, boolean writtenAsIpv6) {
    }

    /**
     * @return the address, with an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as the 4 bytes of the IPv4
     * address it carries; null when {@code text} is not an IPv4 or IPv6 literal
     */
    public static Literal parse(String text) {
        if (text == null) {
            return null;
        }
        if (IPV4.matcher(text).matches()) {
            return new Literal(resolveLiteral(text), false);
        }
        if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
            return null;
        }
        // With a ':' in it, getByName reads an IPv6 literal (or fails) and never looks up a name.
        byte[] raw = resolveLiteral(text);
        if (raw == null) {
            return null;
        }
        return new Literal(raw.length == 16 && isMappedV4(raw) ? Arrays.copyOfRange(raw, 12, 16) : raw, true);
    }

    private static byte[] resolveLiteral(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isMappedV4(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
    }
}
