package wxsend.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe's S3Mock (target/s3mock/s3mock.jar, copied there by the build) as its own process on a
 * port chosen when the stand-ins start, started the first time a test asks for S3: the
 * application's S3 client is built only when a broadcast reads from S3, by which time the test
 * has put its object there. Its own class path (Spring Boot) never meets the application's.
 */
public final class S3Mock {

    public static final String BUCKET = "wxsend-recipients";

    private static final int PORT = freePort();
    private static Process process;
    private static S3Client client;

    private S3Mock() {
    }

    public static URI endpoint() {
        return URI.create("http://127.0.0.1:" + PORT);
    }

    public static synchronized S3Client s3() {
        if (process == null) {
            start();
        }
        return client;
    }

    private static void start() {
        Path jar = Path.of("target", "s3mock", "s3mock.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": the build copies it in process-test-resources");
        }
        try {
            Path root = Files.createTempDirectory("s3mock");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=0",
                    "--com.adobe.testing.s3mock.httpPort=" + PORT, "--com.adobe.testing.s3mock.store.root=" + root,
                    "--logging.level.root=WARN"))
                    .redirectErrorStream(true).redirectOutput(root.resolveSibling(root.getFileName() + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("S3Mock did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        long until = System.nanoTime() + 90_000_000_000L;
        while (!listening()) {
            if (System.nanoTime() > until || !process.isAlive()) {
                throw new IllegalStateException("S3Mock is not listening on " + PORT);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        client = S3Client.builder().endpointOverride(endpoint()).region(Region.of(StandIns.REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        client.createBucket(r -> r.bucket(BUCKET));
    }

    private static boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
