import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Benchmark only: a Lambda runtime client that does nothing. It polls the Runtime API stand-in (GET /next) and posts
 * each event straight back as the answer, so the latency the stand-in records for it is the stand-in's own hand-out and
 * receive time plus loopback HTTP: the part of every function's figure that is not the function. With ECHO_HOP_URL set,
 * it first makes one GET to that URL (through the Jumio timing proxy) and answers {"hopNanos": its round trip}
 * instead, so that the driver can tell how much of a proxied call the proxy's own timing does not see. Run as a single
 * source file: java EchoRuntime.java (AWS_LAMBDA_RUNTIME_API names the stand-in).
 */
public class EchoRuntime {
    public static void main(String[] args) throws Exception {
        String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/";
        String hop = System.getenv("ECHO_HOP_URL");
        byte[] buf = new byte[64 * 1024];
        while (true) {
            HttpURLConnection next = (HttpURLConnection) new URL(base + "next").openConnection();
            byte[] event = readAll(next.getInputStream(), buf);
            String id = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            if (hop != null && !hop.isEmpty()) {
                long t0 = System.nanoTime();
                readAll(new URL(hop).openConnection().getInputStream(), buf);
                event = ("{\"hopNanos\": " + (System.nanoTime() - t0) + "}").getBytes();
            }
            HttpURLConnection answer = (HttpURLConnection) new URL(base + id + "/response").openConnection();
            answer.setRequestMethod("POST");
            answer.setDoOutput(true);
            answer.setFixedLengthStreamingMode(event.length);
            try (OutputStream out = answer.getOutputStream()) {
                out.write(event);
            }
            readAll(answer.getInputStream(), buf);
        }
    }

    private static byte[] readAll(InputStream in, byte[] buf) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }
}
