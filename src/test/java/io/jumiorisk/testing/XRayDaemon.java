package io.jumiorisk.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A stand-in X-Ray daemon: the UDP port the functions send their subsegments to, read back as JSON. Each datagram is
 * the daemon protocol's header line and one segment document.
 */
public final class XRayDaemon {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DatagramSocket socket;

    private XRayDaemon() {
    }

    public static synchronized int port() {
        if (socket == null) {
            try {
                socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return socket.getLocalPort();
    }

    /** The raw datagrams that arrive within {@code millis} after the last one. */
    public static synchronized List<String> drain(int millis) throws IOException {
        port();
        List<String> all = new ArrayList<>();
        byte[] buffer = new byte[65_536];
        socket.setSoTimeout(millis);
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return all;
            }
            all.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    /** The segment documents of {@code datagrams} (each after its header line). */
    public static List<JsonNode> documents(List<String> datagrams) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (String datagram : datagrams) {
            int newline = datagram.indexOf('\n');
            if (!datagram.substring(0, Math.max(0, newline)).contains("\"format\"")) {
                throw new IllegalStateException("not the X-Ray daemon protocol: " + datagram);
            }
            docs.add(JSON.readTree(datagram.substring(newline + 1)));
        }
        return docs;
    }
}
