package io.jumiorisk.callback;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jumiorisk.IpAddresses;
import io.jumiorisk.jumio.JumioEndpoints;

/**
 * The addresses callbacks may come from: Jumio's published list for the region unless {@code CALLBACK_ALLOWED_SOURCES}
 * names IPs or CIDRs; {@code *} switches the check off, which only a local run should do.
 */
@ApplicationScoped
public class SourceAllowList {
    private static final Logger LOG = Logger.getLogger(SourceAllowList.class);

    private final List<Range> ranges;
    private final boolean everyone;

    public SourceAllowList(CallbackConfig config, JumioEndpoints endpoints) {
        List<String> entries = config.allowedSources().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        this.everyone = entries.contains("*");
        if (everyone) {
            LOG.warn("CALLBACK_ALLOWED_SOURCES=*: callbacks are accepted from any address;"
                    + " use this for local runs only");
        }
        List<String> effective = entries.isEmpty() ? endpoints.region().callbackSources() : entries;
        List<Range> parsed = new ArrayList<>();
        for (String entry : effective) {
            if (!entry.equals("*")) {
                parsed.add(Range.parse(entry));
            }
        }
        this.ranges = List.copyOf(parsed);
    }

    public boolean allows(String sourceIp) {
        if (everyone) {
            return true;
        }
        byte[] address = literal(sourceIp);
        return address != null && ranges.stream().anyMatch(r -> r.contains(address));
    }

    /** The address a literal names; null for anything else, without a name lookup. */
    static byte[] literal(String ip) {
        IpAddresses.Literal literal = IpAddresses.parse(ip);
        return literal == null ? null : literal.address();
    }

    record Range(byte[] network, int prefix) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String ip = slash < 0 ? entry : entry.substring(0, slash);
            IpAddresses.Literal literal = IpAddresses.parse(ip);
            byte[] network = literal == null ? null : literal.address();
            if (network == null) {
                throw new IllegalArgumentException("CALLBACK_ALLOWED_SOURCES: not an IP or CIDR: " + entry);
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            if (literal.writtenAsIpv6() && network.length == 4 && slash >= 0) {
                // ::ffff:a.b.c.d/N is the IPv4 network a.b.c.d/(N - 96).
                prefix = prefix >= 96 ? prefix - 96 : -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("CALLBACK_ALLOWED_SOURCES: bad prefix length in " + entry);
            }
            return new Range(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
