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
 * requests the isolation that moto lacks and DynamoDB has, under the interpreter that every script of the project
 * uses: {@code JUMIO_PYTHON} when set, else the one {@code infra/python-env.sh} chooses (the python3 on PATH when it
 * has the pins of {@code infra/requirements.txt}, target/venv otherwise).
 */
public final class MotoServer implements AutoCloseable {
    private static final Path LAUNCHER = Path.of("infra", "local", "moto-server.py").toAbsolutePath();
    private static final Path PYTHON_ENV = Path.of("infra", "python-env.sh").toAbsolutePath();
    private static String python;
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
            Process process = new ProcessBuilder(python(), LAUNCHER.toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(process, port);
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start moto with " + python + " (see docs/local.md)", e);
        }
    }

    /** The project's Python interpreter, chosen once per JVM. */
    static synchronized String python() throws IOException {
        if (python != null) {
            return python;
        }
        String fromEnv = System.getenv("JUMIO_PYTHON");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return python = fromEnv;
        }
        Path err = Files.createTempFile("python-env", ".log");
        Process p = new ProcessBuilder("bash", PYTHON_ENV.toString()).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
                p.destroyForcibly();
                throw new IllegalStateException("infra/python-env.sh found no Python with the pins of"
                        + " infra/requirements.txt (see docs/local.md):\n" + Files.readString(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(err);
        }
        String[] lines = out.split("\n");
        return python = lines[lines.length - 1].trim();
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
