package wxsend.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketAddress;
import java.net.UnknownHostException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import jakarta.ws.rs.ProcessingException;

/** Transport failures by type: before the request was written (safe to retry) or after (WeChat may have it). */
@Tag("unit")
class TransportTest {

    private static Transport.Failure wrapped(Throwable cause) {
        return Transport.classify(new ProcessingException(cause));
    }

    @Test
    void failuresWhileConnectingLeaveNothingAtWeChat() {
        assertEquals(new Transport.Failure("could not connect", false), wrapped(new ConnectException("Connection refused")));
        assertEquals(new Transport.Failure("connect timed out", false), wrapped(new ConnectTimeoutException("timed out")));
        assertEquals(new Transport.Failure("unknown host", false), wrapped(new UnknownHostException("api.weixin.qq.com")));
        assertEquals(new Transport.Failure("no route to host", false), wrapped(new NoRouteToHostException("x")));
        assertEquals(new Transport.Failure("TLS handshake failed", false), wrapped(new SSLHandshakeException("bad cert")));
    }

    /** Netty's "Network is unreachable" while connecting is a plain SocketException of its own private type. */
    @Test
    void nettysAnnotatedConnectFailureIsAConnectFailure() throws Exception {
        Class<?> annotated = Class.forName("io.netty.channel.AbstractChannel$AnnotatedSocketException");
        Constructor<?> constructor = annotated.getDeclaredConstructor(SocketException.class, SocketAddress.class);
        constructor.setAccessible(true);
        Throwable unreachable = (Throwable) constructor.newInstance(new SocketException("Network is unreachable"),
                new InetSocketAddress("203.0.113.1", 443));
        assertEquals(false, wrapped(unreachable).mayHaveArrived());
    }

    @Test
    void failuresAfterTheRequestWasWrittenMayHaveArrived() {
        assertEquals(new Transport.Failure(Transport.TIMED_OUT, true), wrapped(new NoStackTraceTimeoutException("read")));
        assertEquals(new Transport.Failure(Transport.CLOSED, true), wrapped(new HttpClosedException("closed")));
        assertEquals(new Transport.Failure(Transport.CLOSED, true), wrapped(new SocketException("Connection reset")));
    }

    @Test
    void anUnknownFailureIsNeverTakenAsSafeToRepeat() {
        Transport.Failure failure = Transport.classify(new IllegalStateException("http://x/?access_token=SECRET"));
        assertEquals(new Transport.Failure("transport error (IllegalStateException)", true), failure);
    }
}
