package wxsend.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import cn.binarywang.wx.miniapp.api.WxMaService;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Application;
import wxsend.token.TokenProvider;
import wxsend.send.message.Api;
import wxsend.wechat.WeChatClient;
import wxsend.wechat.WeChatReply;

/**
 * One client in its own JVM sends the same uniform message N times to the stand-in, one after
 * another, and prints one JSON line: the time from JVM start to the first send's answer, then
 * the process's CPU time per send over the measured sends (after a warm-up), and wall time p50.
 * Process CPU counts every thread (wxsend's I/O runs on Vert.x event loops, WxJava's on the
 * caller), plus JIT and GC, which both pay. The stand-in runs in another process.
 *
 * usage: java … wxsend.bench.ClientCpu wxjava|wxsend REQUEST_JSON WARMUP N
 * with WECHAT_API_URL, WECHAT_APPID and WECHAT_SECRET set; wxsend runs on the packaged
 * application's class path with TOKEN_STORE=memory and IDEMPOTENCY_STORE=memory.
 */
public final class ClientCpu {

    public static void main(String[] args) throws Exception {
        String client = args[0];
        String request = args[1];
        int warmup = Integer.parseInt(args[2]);
        int sends = Integer.parseInt(args[3]);
        Callable<Boolean> send = client.equals("wxjava") ? wxjava(request) : wxsend(request);
        check(send.call(), client);
        long firstSendMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        for (int i = 0; i < warmup; i++) {
            check(send.call(), client);
        }
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean();
        long[] walls = new long[sends];
        long cpuBefore = os.getProcessCpuTime();
        for (int i = 0; i < sends; i++) {
            long started = System.nanoTime();
            check(send.call(), client);
            walls[i] = System.nanoTime() - started;
        }
        long cpu = os.getProcessCpuTime() - cpuBefore;
        Arrays.sort(walls);
        System.out.printf("{\"client\":\"%s\",\"firstSendMs\":%d,\"cpuPerSendUs\":%.1f,\"wallP50Us\":%.1f}%n", client,
                firstSendMs, cpu / 1000.0 / sends, walls[sends / 2] / 1000.0);
        System.exit(0);
    }

    private static Callable<Boolean> wxjava(String request) {
        WxMaService service = WxJavaSender.service(System.getenv("WECHAT_API_URL"), System.getenv("WECHAT_APPID"),
                System.getenv("WECHAT_SECRET"));
        return () -> {
            // From the request, as a caller holds it, to WeChat's answer: WxJava builds and
            // serialises its message, takes its cached token, posts and reads the answer.
            JsonObject parsed = JsonParser.parseString(request).getAsJsonObject();
            service.getMsgService().sendUniformMsg(WxJavaSender.message(parsed));
            return true;
        };
    }

    private static Callable<Boolean> wxsend(String request) throws Exception {
        // The packaged application's own main, as its runner jar starts it.
        java.lang.reflect.Method main = Class.forName("io.quarkus.runner.GeneratedMain").getMethod("main", String[].class);
        Thread application = new Thread(() -> {
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }, "quarkus");
        application.setDaemon(true);
        application.start();
        // Started means runtime configuration is in place too, not only the bean container.
        while (Application.currentApplication() == null || !Application.currentApplication().isStarted()) {
            Thread.sleep(1);
        }
        TokenProvider tokens = Arc.container().instance(TokenProvider.class).get();
        WeChatClient client = Arc.container().instance(WeChatClient.class).get();
        ObjectMapper json = Arc.container().instance(ObjectMapper.class).get();
        String appid = System.getenv("WECHAT_APPID");
        return () -> {
            // The same span on wxsend's side: the request to its body, the stored token, the post
            // through the REST client and the answer read by errcode.
            JsonNode parsed = json.readTree(request);
            String body = json.writeValueAsString(parsed);
            String token = tokens.current(appid).await().indefinitely().value();
            WeChatReply reply = client.send(appid, Api.UNIFORM, token, body).await().indefinitely();
            return reply.httpStatus() == 200 && Integer.valueOf(0).equals(reply.errcode());
        };
    }

    private static void check(boolean sent, String client) {
        if (!sent) {
            throw new IllegalStateException(client + ": the stand-in did not answer errcode 0");
        }
    }
}
