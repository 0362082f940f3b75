package wxsend.wechat;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.delivery.ErrorKind;
import wxsend.send.delivery.Reply;

/**
 * What came back from one WeChat call: the HTTP status and parsed body, or a transport problem.
 * It never holds the request URL, which carries the secret or the access_token.
 */
public record WeChatReply(int httpStatus, JsonNode body, String transportProblem, boolean mayHaveArrived) {

    WeChatReply(int httpStatus, JsonNode body) {
        this(httpStatus, body, null, false);
    }

    /**
     * @param mayHaveArrived the request was written before the failure (a read timeout, a reset
     *        connection), so WeChat may have acted on it
     */
    static WeChatReply transport(String problem, boolean mayHaveArrived) {
        return new WeChatReply(0, null, problem, mayHaveArrived);
    }

    /** WeChat's errcode; 0 when a 200 body has none (a token reply, say). Null when there is no JSON body. */
    public Integer errcode() {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode code = body.get("errcode");
        // An errcode that is no integer ({"errcode":null}, "x") is no answer: never read as 0, which is success.
        return code == null ? (httpStatus == 200 ? 0 : null) : code.canConvertToInt() && code.isIntegralNumber() ? code.intValue() : null;
    }

    /** The message id template/send returns on success; null from the other APIs. */
    public Long msgid() {
        JsonNode id = body == null ? null : body.get("msgid");
        return id == null || !id.canConvertToLong() ? null : id.asLong();
    }

    public String errmsg() {
        JsonNode msg = body == null ? null : body.get("errmsg");
        return msg == null ? null : msg.asText();
    }

    public ErrorKind kind() {
        return ErrorKind.of(httpStatus, errcode(), transportProblem != null, mayHaveArrived);
    }

    /** What the send domain reads: the codes and ids, without the raw body. */
    Reply toReply() {
        return transportProblem != null ? Reply.transport(transportProblem, mayHaveArrived)
                : Reply.answered(httpStatus, errcode(), errmsg(), msgid());
    }

    /** A short account of what went wrong, safe to log and return. */
    public String describe() {
        if (transportProblem != null) {
            return transportProblem;
        }
        Integer code = errcode();
        if (code != null && code != 0) {
            return "errcode " + code + (errmsg() == null ? "" : " (" + errmsg() + ")");
        }
        if (httpStatus != 200) {
            return "HTTP " + httpStatus;
        }
        return body == null ? "unreadable response body" : "ok";
    }
}
