package wxsend.quota;

import wxsend.send.delivery.Reply;

/**
 * WeChat's answer to {@code openapi/quota/get}: the reply as every call has one, and, when it
 * succeeded, the API's daily limit and today's use (WeChat's day, in UTC+8).
 */
public record QuotaReply(Reply reply, Long dailyLimit, Long used, Long remain) {
}
