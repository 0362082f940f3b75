package wxsend.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP pass-through in front of a stand-in that can be cut: while off, it resets every open
 * connection and every new one, as a service that has gone away does. No emulator can stop
 * and restart DynamoDB Local under a running application without losing its port. It can also
 * pick requests by what they carry: lose the answer to one (the request reached the service, the
 * caller never heard back, as when a connection dies mid-answer), or refuse them unforwarded.
 */
public final class Switch {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean on = true;
    private final java.util.concurrent.atomic.AtomicReference<byte[]> loseAnswer = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile byte[] refuse;
    /** Targets whose next answer is lost: the request they were sent carried the marker. */
    private final Set<Socket> doomed = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();

    public Switch(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "switch-" + targetPort);
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void on() {
        on = true;
    }

    /** The next request carrying this text is forwarded, and its answer never reaches the caller. */
    public void loseAnswerTo(String marker) {
        loseAnswer.set(marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** How many answers were lost so far. */
    public int lostAnswers() {
        return lost.get();
    }

    /** Every request carrying this text is refused (its connection reset) without being forwarded; null for none. */
    public void refuse(String marker) {
        refuse = marker == null ? null : marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public void off() {
        on = false;
        open.forEach(Switch::reset);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (!on) {
                    reset(client);
                    continue;
                }
                Socket target = new Socket();
                target.connect(new InetSocketAddress("localhost", targetPort));
                // Each side writes what it reads as it comes; with Nagle on, a second small write
                // waits for the peer's delayed ACK (40 ms on Linux) and every store call pays it.
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                open.add(client);
                open.add(target);
                pipe(client, target, true);
                pipe(target, client, false);
            } catch (IOException e) {
                // A client that went away before we got to it.
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean requests) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    if (requests) {
                        byte[] refused = refuse;
                        if (refused != null && contains(buffer, n, refused)) {
                            break; // reset, unforwarded
                        }
                        byte[] lose = loseAnswer.get();
                        if (lose != null && contains(buffer, n, lose) && loseAnswer.compareAndSet(lose, null)) {
                            doomed.add(to);
                        }
                    } else if (doomed.remove(from)) {
                        lost.incrementAndGet();
                        break; // the answer is dropped, and the caller's connection reset
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Either side closed or was reset.
            } finally {
                reset(from);
                reset(to);
            }
        }, "switch-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the first n bytes hold the marker; a marker split across two reads is missed, so tests pick short ones. */
    private static boolean contains(byte[] buffer, int n, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= n; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
