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
 * and restart DynamoDB Local under a running application without losing its port.
 */
public final class Switch {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean on = true;

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
                pipe(client, target);
                pipe(target, client);
            } catch (IOException e) {
                // A client that went away before we got to it.
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0;) {
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

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
