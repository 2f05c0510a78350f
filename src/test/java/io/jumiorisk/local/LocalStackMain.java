package io.jumiorisk.local;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.SimulatorConfig;

/**
 * The whole product on this machine, in one JVM: the Jumio simulator (unless real Jumio credentials and
 * {@code JUMIO_REGION} are in the environment), one {@link LambdaRuntimeApi} emulator per function, the
 * {@link HttpApiGateway} on port 3000, and one child process per function, started the way Lambda starts it:
 * <ul>
 * <li>JVM ({@code target/function.zip} from {@code mvn package}): the zip is unpacked into a task root and the AWS
 * Java runtime's own entry point, the Runtime Interface Client, loads
 * {@code io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest} from it, exactly as the managed
 * {@code java} runtime does with {@code /var/task};</li>
 * <li>native ({@code --native [binary]}): the binary itself polls the Runtime API, as {@code provided.al2023} runs
 * {@code bootstrap}.</li>
 * </ul>
 * Each function gets the environment Lambda would give it plus the product's configuration. A child that exits is
 * restarted (its in-flight invocation fails with {@code Runtime.ExitError}); one whose invocation timed out is
 * restarted, as Lambda resets a timed-out execution environment. DynamoDB is not started here: pass the endpoint of
 * a running DynamoDB-compatible server ({@code infra/local/run.sh} starts moto and creates the table).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat test-classpath) io.jumiorisk.local.LocalStackMain \
 * --dynamodb-endpoint http://127.0.0.1:4566 --ric-classpath $(cat ric-classpath) [--port 3000] [--native]
 * </pre>
 */
public final class LocalStackMain implements AutoCloseable {

    public static final List<String> FUNCTIONS = List.of("initiate", "callback", "retrieve", "erase");
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String RIC_JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    static final String QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String DEFAULT_USER_AGENT = "ExampleCo JumioRiskSignals/1.0.0-local";

    private static final PrintStream OUT = System.out;

    private final Options options;
    private final Map<String, String> env;
    private final String callbackToken;
    private final String dataKey;
    private final List<FunctionProcess> processes = new ArrayList<>();
    private final Map<String, LambdaRuntimeApi> apis = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private JumioSimulator simulator;
    private HttpApiGateway gateway;
    private volatile boolean closing;

    public LocalStackMain(Options options, Map<String, String> env) {
        this.options = options;
        this.env = Map.copyOf(env);
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        this.callbackToken = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        // Per run, like the callback secret: a local table does not outlive the run that keyed it.
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.dataKey = Base64.getUrlEncoder().withoutPadding().encodeToString(k);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("LocalStackMain: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            OUT.println(Options.USAGE);
            return;
        }
        LocalStackMain stack = new LocalStackMain(options, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-shutdown"));
        if (options.parentPid > 0) {
            // Stop with the script that started us, even when it could not run its own cleanup (kill -9).
            ProcessHandle.of(options.parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> {
                        say("parent process " + options.parentPid + " is gone");
                        System.exit(0);
                    }),
                    () -> System.exit(0));
        }
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("[local] failed to start: " + e);
            stack.close();
            System.exit(1);
            return;
        }
        stack.awaitClosed();
    }

    /** Starts everything and waits (bounded) for the functions to poll for events; prints the banner. */
    public void start() throws Exception {
        say("starting the local stack (" + (options.nativeBinary != null ? "native" : "JVM") + " functions)");

        // 1. Jumio: the simulator, unless real credentials are configured.
        Map<String, String> jumio = new LinkedHashMap<>();
        if (realJumio()) {
            say("real Jumio: JUMIO_CLIENT_ID, JUMIO_CLIENT_SECRET and JUMIO_REGION are set (" + env.get("JUMIO_REGION")
                    + "); the simulator is not started");
            if (!notBlank(env.get("JUMIO_USER_AGENT"))) {
                // The functions would refuse to start without it: Jumio wants the company and application named.
                throw new IllegalStateException("real Jumio needs JUMIO_USER_AGENT, naming your company and"
                        + " application (\"Acme Onboarding/1.4\")");
            }
            if (!env.containsKey("JUMIO_CALLBACK_URL")) {
                say("note: Jumio cannot reach a callback URL on 127.0.0.1, so none is sent; set JUMIO_CALLBACK_URL to"
                        + " a public https URL that forwards here, or rely on retrieve asking Jumio after"
                        + " RECONCILE_AFTER_SECONDS");
            }
        } else {
            SimulatorConfig config = SimulatorConfig.defaults().port(options.simulatorPort);
            simulator = new JumioSimulator(config).start();
            jumio.put("JUMIO_CLIENT_ID", simulator.clientId());
            jumio.put("JUMIO_CLIENT_SECRET", simulator.clientSecret());
            jumio.put("JUMIO_AUTH_URL", simulator.authUrl());
            jumio.put("JUMIO_ACCOUNT_URL", simulator.accountUrl());
            jumio.put("JUMIO_RETRIEVAL_URL", simulator.retrievalUrl());
            // The simulator serves upload and finalize too; the functions send them only to this origin.
            jumio.put("JUMIO_API_URL", simulator.apiUrl());
            // The simulator and the callback gateway below are plain http on 127.0.0.1.
            jumio.put("ALLOW_INSECURE_URLS", "true");
            jumio.put("JUMIO_REGION", env.getOrDefault("JUMIO_REGION", "amer-1"));
            say("jumio simulator listening on " + simulator.baseUrl() + " (admin: " + simulator.baseUrl()
                    + "/__admin/)");
        }

        // 2. One Runtime API emulator per function.
        for (String name : FUNCTIONS) {
            LambdaRuntimeApi api = new LambdaRuntimeApi(name, options.timeout).start();
            apis.put(name, api);
            say("runtime API for " + name + " on " + api.address() + " (timeout " + options.timeout.toSeconds()
                    + " s)");
        }

        // 3. The HTTP API.
        gateway = new HttpApiGateway(new RuntimeApiFunctionInvoker(apis)).start(options.port);
        say("HTTP API on " + gateway.baseUrl() + ": POST /checks -> initiate, GET /checks/{checkId} -> retrieve,"
                + " DELETE /checks/{checkId} -> erase, POST /callbacks/jumio -> callback");

        // 4. The functions.
        Launch launch = prepareLaunch();
        for (String name : FUNCTIONS) {
            Map<String, String> fenv = functionEnvironment(name, apis.get(name), jumio, launch);
            FunctionProcess p = new FunctionProcess(name, apis.get(name), launch.command, launch.workDir, fenv);
            processes.add(p);
            apis.get(name).listener(p);
            p.start();
            say(name + ": started " + (launch.nativeMode ? "native binary" : "JVM runtime") + " (pid "
                    + p.pid() + ")");
        }

        long t0 = System.nanoTime();
        List<String> notReady = new ArrayList<>();
        for (String name : FUNCTIONS) {
            long left = options.readyTimeout.toNanos() - (System.nanoTime() - t0);
            if (!apis.get(name).awaitRuntimeReady(Duration.ofNanos(Math.max(left, 0)))) {
                notReady.add(name);
            }
        }
        if (!notReady.isEmpty()) {
            say("warning: " + notReady + " did not poll for events within " + options.readyTimeout.toSeconds()
                    + " s; requests to them will wait (see their output above)");
        }
        banner();
    }

    private boolean realJumio() {
        return notBlank(env.get("JUMIO_CLIENT_ID")) && notBlank(env.get("JUMIO_CLIENT_SECRET"))
                && notBlank(env.get("JUMIO_REGION"));
    }

    /** How to run a function process. */
    private record Launch(List<String> command, File workDir, boolean nativeMode, String taskRoot) {
    }

    private Launch prepareLaunch() throws IOException {
        Path work = Paths.get(options.workDir).toAbsolutePath();
        Files.createDirectories(work);
        if (options.nativeBinary != null) {
            Path binary = Paths.get(options.nativeBinary).toAbsolutePath();
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("native binary not found or not executable: " + binary);
            }
            Path cwd = Files.createDirectories(work.resolve("native-task"));
            return new Launch(List.of(binary.toString()), cwd.toFile(), true, cwd.toString());
        }
        if (options.ricClasspath == null || options.ricClasspath.isBlank()) {
            throw new IllegalStateException("--ric-classpath (or LAMBDA_RIC_CLASSPATH) is required in JVM mode: the"
                    + " classpath of com.amazonaws:aws-lambda-java-runtime-interface-client");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(options.java);
        // The managed java runtime's own JVM flags (memory-scaled heap, serial GC, C1 only: fast cold starts).
        cmd.add("-XX:MaxHeapSize=" + (options.memoryMb * 85 / 100) + "m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:+TieredCompilation");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.add("-XX:+ErrorFileToStderr");
        // As on Lambda, the RIC's JNI library is unpacked once and named by this property; without it each JVM
        // unpacks it to the same fixed /tmp path, and three starting together crash one another.
        cmd.add("-D" + RIC_JNI_PROPERTY + "=" + unpackJni(options.ricClasspath, work.resolve("ric")));
        String taskRoot;
        File cwd;
        Path zip = options.functionZip == null ? null : Paths.get(options.functionZip);
        if (zip != null && Files.isRegularFile(zip)) {
            Path task = unpack(zip, work.resolve("task"));
            taskRoot = task.toString();
            cwd = task.toFile();
            cmd.add("-cp");
            cmd.add(options.ricClasspath);
            say("function code: " + zip + " unpacked into " + task);
        } else if (options.runnerJar != null && Files.isRegularFile(Paths.get(options.runnerJar))) {
            Path jar = Paths.get(options.runnerJar).toAbsolutePath();
            Path lib = jar.resolveSibling("lib");
            cwd = Files.createDirectories(work.resolve("jvm-task")).toFile();
            taskRoot = cwd.toString();
            cmd.add("-cp");
            cmd.add(options.ricClasspath + File.pathSeparator + jar + File.pathSeparator + lib + File.separator + "*");
            say("function code: " + jar + " and " + lib);
        } else {
            throw new IllegalStateException("no function code: neither " + options.functionZip + " nor "
                    + options.runnerJar + " exists (run mvn package)");
        }
        cmd.add(RIC_MAIN);
        cmd.add(QUARKUS_HANDLER);
        return new Launch(List.copyOf(cmd), cwd, false, taskRoot);
    }

    /** Extracts the RIC's JNI library for this platform from the RIC jar on {@code ricClasspath} into {@code dir}. */
    static Path unpackJni(String ricClasspath, Path dir) throws IOException {
        String ricJar = null;
        for (String entry : ricClasspath.split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith("aws-lambda-java-runtime-interface-client")) {
                ricJar = entry;
            }
        }
        if (ricJar == null) {
            throw new IllegalStateException("no aws-lambda-java-runtime-interface-client jar on --ric-classpath");
        }
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        boolean musl = Files.exists(Paths.get("/lib/ld-musl-" + (cpu.equals("x86_64") ? "x86_64" : "aarch64")
                + ".so.1"));
        String lib = "libaws-lambda-jni.linux" + (musl ? "_musl" : "") + "-" + cpu + ".so";
        Files.createDirectories(dir);
        Path target = dir.resolve(lib);
        File jar = new File(ricJar);
        if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).toMillis() >= jar.lastModified()) {
            return target.toAbsolutePath();
        }
        try (ZipFile zf = new ZipFile(jar)) {
            ZipEntry e = zf.getEntry("jni/" + lib);
            if (e == null) {
                throw new IllegalStateException(ricJar + " has no jni/" + lib + " for this platform");
            }
            Path tmp = Files.createTempFile(dir, lib, ".tmp");
            try (InputStream in = zf.getInputStream(e)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target.toAbsolutePath();
    }

    /** Unpacks a JVM function.zip into {@code dir} (again only when the zip changed). */
    static Path unpack(Path zip, Path dir) throws IOException {
        String stamp = Files.getLastModifiedTime(zip).toMillis() + ":" + Files.size(zip) + ":" + zip.toAbsolutePath();
        Path marker = dir.resolve(".unpacked-from");
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
            return dir;
        }
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Path root = dir.toRealPath();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            if (zf.getEntry("bootstrap") != null && zf.getEntry("io/quarkus/amazon/lambda/runtime/") == null
                    && zf.stream().noneMatch(e -> e.getName().endsWith(".class"))) {
                throw new IllegalStateException(zip + " holds a native build (bootstrap); run with --native, or"
                        + " rebuild the JVM artifact with mvn package -Dquarkus.native.enabled=false");
            }
            for (ZipEntry e : zf.stream().toList()) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("zip entry outside the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zf.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Files.writeString(marker, stamp);
        return dir;
    }

    /** The environment Lambda gives a function, plus the product's configuration. */
    private Map<String, String> functionEnvironment(String name, LambdaRuntimeApi api, Map<String, String> jumio,
            Launch launch) {
        Map<String, String> e = new LinkedHashMap<>();
        // A few host basics, and whatever product / Quarkus settings the developer exported.
        for (String k : List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME", "USER")) {
            if (env.containsKey(k)) {
                e.put(k, env.get(k));
            }
        }
        for (Map.Entry<String, String> v : env.entrySet()) {
            String k = v.getKey();
            if (k.startsWith("JUMIO_") || k.startsWith("CALLBACK_") || k.startsWith("QUARKUS_")
                    || k.equals("RECONCILE_AFTER_SECONDS") || k.equals("CHECK_RETENTION_DAYS")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("AWS_ENDPOINT_URL_SFN")
                    || k.equals("ALLOW_INSECURE_URLS")) {
                e.put(k, v.getValue());
            }
        }
        // Lambda's reserved variables.
        e.put("AWS_LAMBDA_RUNTIME_API", api.address());
        e.put("AWS_LAMBDA_FUNCTION_NAME", name);
        e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(options.memoryMb));
        e.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        e.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        e.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        e.put("AWS_LAMBDA_LOG_STREAM_NAME",
                DateTimeFormatter.ofPattern("yyyy/MM/dd").format(LocalDate.now(ZoneOffset.UTC))
                        + "/[$LATEST]" + Long.toHexString(Double.doubleToLongBits(Math.random())));
        e.put("AWS_REGION", LambdaRuntimeApi.REGION);
        e.put("AWS_DEFAULT_REGION", LambdaRuntimeApi.REGION);
        e.put("AWS_ACCESS_KEY_ID", "local");
        e.put("AWS_SECRET_ACCESS_KEY", "local");
        e.put("LAMBDA_TASK_ROOT", launch.taskRoot());
        e.put("TZ", ":UTC");
        if (launch.nativeMode()) {
            e.put("_HANDLER", "bootstrap");
        } else {
            e.put("_HANDLER", QUARKUS_HANDLER);
            e.put("AWS_EXECUTION_ENV", "AWS_Lambda_java" + Runtime.version().feature());
        }
        // The product.
        e.put("QUARKUS_LAMBDA_HANDLER", name);
        e.put("AWS_ENDPOINT_URL_DYNAMODB", options.dynamodbEndpoint);
        e.put("CHECKS_TABLE", options.table);
        e.putAll(jumio);
        if (simulator != null) {
            // Real Jumio could not reach it, and would refuse a plain-http callbackUrl on an IP address and port.
            e.putIfAbsent("JUMIO_CALLBACK_URL", gateway.baseUrl() + "/callbacks/jumio");
        }
        e.put("CALLBACK_TOKEN", callbackToken);
        e.put("DATA_KEY", dataKey);
        e.putIfAbsent("CALLBACK_ALLOWED_SOURCES", "127.0.0.1/32");
        e.putIfAbsent("JUMIO_WORKFLOW_KEY", "10066");
        // Only ever the simulator's: with real Jumio, start() insists on the developer's own.
        e.putIfAbsent("JUMIO_USER_AGENT", DEFAULT_USER_AGENT);
        return e;
    }

    private void banner() {
        String base = gateway.baseUrl();
        String key = "demo-" + Long.toHexString(System.currentTimeMillis());
        StringBuilder b = new StringBuilder();
        b.append('\n');
        b.append("==================================================================================\n");
        b.append(" Jumio risk signals: local stack ready on ").append(base).append('\n');
        b.append("   DynamoDB: ").append(options.dynamodbEndpoint).append("  table ").append(options.table)
                .append('\n');
        b.append("   Jumio:    ").append(simulator != null
                ? "simulator " + simulator.baseUrl()
                : "real Jumio ("
                        + env.get("JUMIO_REGION") + ")")
                .append('\n');
        b.append('\n');
        b.append(" Start an email-risk check:\n");
        b.append("   curl -sS -X POST ").append(base).append("/checks \\\n");
        b.append("     -H 'Content-Type: application/json' -H 'Idempotency-Key: ").append(key).append("' \\\n");
        b.append("     -d '{\"customerInternalReference\":\"txn-").append(key.substring(5))
                .append("\",\"userReference\":\"user-42\",\"workflowDefinitionKey\":10066,")
                .append("\"preparedData\":{\"email\":\"jane@example.com\"}}'\n");
        b.append(" Then, with the checkId it returns:\n");
        b.append("   curl -sS ").append(base).append("/checks/<checkId>\n");
        b.append(" Or the whole round trip: infra/local/check.sh ").append(base).append('\n');
        b.append(" Ctrl-C stops everything.\n");
        b.append("==================================================================================");
        OUT.println(b);
        OUT.flush();
    }

    public String gatewayUrl() {
        return gateway.baseUrl();
    }

    public void awaitClosed() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        say("stopping");
        for (FunctionProcess p : processes) {
            p.stop();
        }
        for (FunctionProcess p : processes) {
            p.awaitStopped(Duration.ofSeconds(5));
        }
        if (gateway != null) {
            gateway.close();
        }
        apis.values().forEach(LambdaRuntimeApi::close);
        if (simulator != null) {
            simulator.close();
        }
        say("stopped");
        stopped.countDown();
    }

    static void say(String line) {
        OUT.println("[local] " + line);
        OUT.flush();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    // ------------------------------------------------------------------------------------------------ processes

    /** One function's process: output prefixed with {@code [name]}, restarted when it exits or times out. */
    private final class FunctionProcess implements LambdaRuntimeApi.Listener {
        private final String name;
        private final LambdaRuntimeApi api;
        private final List<String> command;
        private final File workDir;
        private final Map<String, String> environment;
        private final Deque<Long> recentStarts = new ArrayDeque<>();
        private volatile Process process;
        private volatile long startedAt;
        private volatile boolean stopping;

        FunctionProcess(String name, LambdaRuntimeApi api, List<String> command, File workDir,
                Map<String, String> environment) {
            this.name = name;
            this.api = api;
            this.command = command;
            this.workDir = workDir;
            this.environment = environment;
        }

        synchronized void start() throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(environment);
            api.resetReadiness();
            startedAt = System.nanoTime();
            recentStarts.addLast(System.currentTimeMillis());
            Process p = pb.start();
            process = p;
            Thread pump = new Thread(() -> pump(p.getInputStream()), "output-" + name);
            pump.setDaemon(true);
            pump.start();
            p.onExit().thenAccept(this::exited);
        }

        long pid() {
            return process.pid();
        }

        private void pump(InputStream in) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    OUT.println("[" + name + "] " + line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }

        private void exited(Process p) {
            if (stopping || closing || p != process) {
                return;
            }
            int code = p.exitValue();
            say(name + ": process exited with code " + code);
            api.failInFlight("Runtime.ExitError", "Runtime exited with error: exit status " + code);
            synchronized (this) {
                long now = System.currentTimeMillis();
                while (!recentStarts.isEmpty() && now - recentStarts.peekFirst() > 60_000) {
                    recentStarts.removeFirst();
                }
                if (recentStarts.size() >= 5) {
                    say(name + ": exited 5 times within a minute; not restarting it (fix the cause and restart the"
                            + " stack)");
                    return;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(500);
                if (!stopping && !closing) {
                    start();
                    say(name + ": restarted (pid " + pid() + ")");
                }
            } catch (IOException | InterruptedException e) {
                say(name + ": could not restart: " + e);
            }
        }

        @Override
        public void runtimeReady(LambdaRuntimeApi a) {
            say(name + ": polling for events (" + (System.nanoTime() - startedAt) / 1_000_000 + " ms after start)");
        }

        @Override
        public void initError(LambdaRuntimeApi a, String errorType, String errorJson) {
            say(name + ": init error " + errorType + ": " + errorJson);
        }

        @Override
        public void invocationTimedOut(LambdaRuntimeApi a, String requestId, Duration timeout) {
            say(name + ": RequestId: " + requestId + " Task timed out after " + timeout.toSeconds()
                    + " seconds; resetting the execution environment");
            Process p = process;
            if (p != null) {
                p.destroy(); // exited() restarts it
            }
        }

        void stop() {
            stopping = true;
            Process p = process;
            if (p != null && p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }

        void awaitStopped(Duration wait) {
            Process p = process;
            if (p == null) {
                return;
            }
            try {
                if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ options

    /** Command-line options, with environment fallbacks. */
    public static final class Options {
        static final String USAGE = String.join("\n",
                "usage: LocalStackMain --dynamodb-endpoint URL [options]",
                "  --port N                  HTTP API port (default 3000; 0 = any free port)",
                "  --dynamodb-endpoint URL   DynamoDB-compatible endpoint (env AWS_ENDPOINT_URL_DYNAMODB)",
                "  --table NAME              checks table (default jumio-checks-local; env CHECKS_TABLE)",
                "  --function-zip PATH       JVM build to run (default target/function.zip)",
                "  --runner-jar PATH         JVM build without a zip: the runner jar, with lib/ beside it",
                "                            (default target/*-runner.jar)",
                "  --ric-classpath CP        classpath of aws-lambda-java-runtime-interface-client",
                "                            (env LAMBDA_RIC_CLASSPATH; JVM mode)",
                "  --native [PATH]           run the native binary (default target/*-runner) instead of the JVM build",
                "  --timeout SECONDS         function timeout (default 29, as in template.yaml)",
                "  --memory MB               AWS_LAMBDA_FUNCTION_MEMORY_SIZE and heap size (default 512)",
                "  --simulator-port N        Jumio simulator port (default 0 = any free port)",
                "  --ready-timeout SECONDS   how long to wait for the functions to poll (default 120)",
                "  --work-dir DIR            scratch directory (default target/local)",
                "  --java PATH               java for the functions (default: this JVM's)",
                "  --parent-pid PID          stop when that process exits (run.sh passes its own)",
                "Real Jumio: with JUMIO_CLIENT_ID, JUMIO_CLIENT_SECRET and JUMIO_REGION in the environment the",
                "simulator is not started and the functions talk to Jumio; JUMIO_USER_AGENT is then required.");

        int port = 3000;
        String dynamodbEndpoint;
        String table = "jumio-checks-local";
        String functionZip = "target/function.zip";
        String runnerJar;
        String ricClasspath;
        String nativeBinary;
        Duration timeout = Duration.ofSeconds(29);
        int memoryMb = 512;
        int simulatorPort = 0;
        Duration readyTimeout = Duration.ofSeconds(120);
        String workDir = "target/local";
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        long parentPid;
        boolean help;

        public static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            o.dynamodbEndpoint = env.get("AWS_ENDPOINT_URL_DYNAMODB");
            if (notBlank(env.get("CHECKS_TABLE"))) {
                o.table = env.get("CHECKS_TABLE");
            }
            o.ricClasspath = env.get("LAMBDA_RIC_CLASSPATH");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "--port" -> o.port = intArg(a, value != null ? value : next(args, ++i, a));
                    case "--dynamodb-endpoint" -> o.dynamodbEndpoint = value != null ? value : next(args, ++i, a);
                    case "--table" -> o.table = value != null ? value : next(args, ++i, a);
                    case "--function-zip" -> o.functionZip = value != null ? value : next(args, ++i, a);
                    case "--runner-jar" -> o.runnerJar = value != null ? value : next(args, ++i, a);
                    case "--ric-classpath" -> o.ricClasspath = value != null ? value : next(args, ++i, a);
                    case "--native" -> {
                        if (value != null) {
                            o.nativeBinary = value;
                        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            o.nativeBinary = args[++i];
                        } else {
                            o.nativeBinary = findInTarget("-runner", false);
                            if (o.nativeBinary == null) {
                                throw new IllegalArgumentException("--native: no target/*-runner binary (build it"
                                        + " with mvn package -Dnative)");
                            }
                        }
                    }
                    case "--timeout" -> o.timeout = Duration.ofSeconds(intArg(a, value != null
                            ? value
                            : next(args, ++i, a)));
                    case "--memory" -> o.memoryMb = intArg(a, value != null ? value : next(args, ++i, a));
                    case "--simulator-port" -> o.simulatorPort = intArg(a, value != null ? value : next(args, ++i, a));
                    case "--ready-timeout" -> o.readyTimeout = Duration.ofSeconds(intArg(a, value != null
                            ? value
                            : next(args, ++i, a)));
                    case "--work-dir" -> o.workDir = value != null ? value : next(args, ++i, a);
                    case "--java" -> o.java = value != null ? value : next(args, ++i, a);
                    case "--parent-pid" -> o.parentPid = intArg(a, value != null ? value : next(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.help) {
                return o;
            }
            if (o.runnerJar == null) {
                o.runnerJar = findInTarget("-runner.jar", true);
            }
            if (!notBlank(o.dynamodbEndpoint)) {
                throw new IllegalArgumentException("--dynamodb-endpoint (or AWS_ENDPOINT_URL_DYNAMODB) is required, so"
                        + " that the functions never reach a real AWS account");
            }
            if (o.timeout.isZero() || o.timeout.isNegative() || o.memoryMb < 128) {
                throw new IllegalArgumentException("--timeout must be positive and --memory at least 128");
            }
            return o;
        }

        private static String findInTarget(String suffix, boolean jar) {
            File[] files = new File("target").listFiles((d, n) -> n.endsWith(suffix));
            if (files == null) {
                return null;
            }
            for (File f : files) {
                if (f.isFile() && (jar || f.canExecute())) {
                    return f.getPath();
                }
            }
            return null;
        }

        private static String next(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }

        private static int intArg(String name, String v) {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": not a number: " + v);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "port=%d dynamodb=%s table=%s", port, dynamodbEndpoint, table);
        }
    }
}
