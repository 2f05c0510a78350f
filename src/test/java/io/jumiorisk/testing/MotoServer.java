package io.jumiorisk.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * moto in server mode: a DynamoDB- and Step Functions-compatible endpoint on loopback, started by the tests
 * themselves and stopped when the test JVM exits. It runs through the project's launcher, which gives DynamoDB
 * requests the isolation that moto lacks and DynamoDB has.
 */
public final class MotoServer implements AutoCloseable {
    private static final Path LAUNCHER = Path.of("infra", "local", "moto-server.py").toAbsolutePath();
    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-server", ".log");
            if (!Files.isRegularFile(LAUNCHER)) {
                throw new IllegalStateException("Run the tests from the project root: " + LAUNCHER + " is missing");
            }
            Process process = new ProcessBuilder("python3", LAUNCHER.toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(process, port);
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot start moto (is it installed for python3? pip install 'moto[server]')", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Path log) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/")).GET()
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("moto_server did not answer within 30 s");
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
