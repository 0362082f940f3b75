package wxsend.wechat;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.vertx.core.http.HttpClosedException;

/**
 * What a call's failure says about the request, by the failure's type: whether it failed before
 * the request could be written (no connection: safe to try again) or after (WeChat may have
 * acted on it). Only the kind is reported, never a message: messages may quote the URL, which
 * carries the secret or the token.
 */
final class Transport {

    /** How a call failed, and whether WeChat may have the request. */
    record Failure(String problem, boolean mayHaveArrived) {
    }

    static final String TIMED_OUT = "timed out waiting for the answer";
    static final String CLOSED = "connection closed before the answer";

    /**
     * Netty's connect failures that have no public type of their own: it annotates them with the
     * address, and throws them only while connecting, so nothing was written yet.
     */
    private static final Set<String> NETTY_CONNECT_FAILURES = Set.of("io.netty.channel.AbstractChannel$AnnotatedSocketException");

    private Transport() {
    }

    static Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Failure known = known(t);
            if (known != null) {
                return known;
            }
        }
        // Nothing says the request stayed here: count it as possibly delivered, never as safe to repeat.
        return new Failure("transport error (" + failure.getClass().getSimpleName() + ")", true);
    }

    private static Failure known(Throwable t) {
        if (t instanceof ConnectException || NETTY_CONNECT_FAILURES.contains(t.getClass().getName())) {
            // Netty's connect timeout is a ConnectException too.
            return new Failure(t.getClass().getSimpleName().contains("Timeout") ? "connect timed out" : "could not connect", false);
        }
        if (t instanceof UnknownHostException) {
            return new Failure("unknown host", false);
        }
        if (t instanceof NoRouteToHostException || t instanceof PortUnreachableException) {
            return new Failure("no route to host", false);
        }
        if (t instanceof SSLHandshakeException) {
            return new Failure("TLS handshake failed", false);
        }
        if (t instanceof TimeoutException) {
            return new Failure(TIMED_OUT, true);
        }
        if (t instanceof HttpClosedException || t instanceof SocketException) {
            return new Failure(CLOSED, true);
        }
        return null;
    }
}
