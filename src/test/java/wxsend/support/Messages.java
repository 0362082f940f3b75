package wxsend.support;

/** Requests as a caller of the old PHP code would send them. */
public final class Messages {

    public static final String OPENID = "oAbCdEfGhIjKlMnOpQrStUvWxYz0";
    public static final String MP_APPID = "wxaaaaaaaaaaaaaaa1";
    public static final String MINI_APPID = "wxbbbbbbbbbbbbbbb2";

    private Messages() {
    }

    /** The uniform_send body alone, the JSON the PHP sample posts. */
    public static String body() {
        return """
                {"touser":"%s","mp_template_msg":{"appid":"%s","template_id":"TPL_lottery-result_01",
                 "url":"https://example.com/download","miniprogram":{"appid":"%s","pagepath":"pages/index/index"},
                 "data":{"first":{"value":"抽奖结果通知","color":"#173177"},
                         "keyword1":{"value":"最新的iphone一部","color":"#173177"},
                         "remark":{"value":"点击查询详情"}}}}"""
                .formatted(OPENID, MP_APPID, MINI_APPID);
    }

    /** The body with the sending app named and the caller's idempotency key: a second, distinct request. */
    public static String forApp(String appid, String idempotencyKey) {
        return forApp(appid).replaceFirst("\\{", "{\"idempotencyKey\":\"" + idempotencyKey + "\",");
    }

    /** The body with the sending app named. */
    public static String forApp(String appid) {
        return body().replaceFirst("\\{", "{\"app\":\"" + appid + "\",");
    }

    /** The recipient's openid for an official account: a different id than the mini program's for the same person. */
    public static final String OA_OPENID = "oOfficialAccountOpenid000001";

    /**
     * A uniform request from mini program app whose mp_template_msg names official account
     * account, with the caller's key, and the recipient's openid for that account when given.
     */
    public static String uniformFor(String app, String account, String key, String officialAccountOpenid) {
        String message = forApp(app, key).replace(MP_APPID, account);
        return officialAccountOpenid == null ? message
                : message.replaceFirst("\\{", "{\"officialAccountOpenid\":\"" + officialAccountOpenid + "\",");
    }

    /** An official-account template message (kind template) from account. */
    public static String template(String account, String key) {
        return """
                {"kind":"template","app":"%s","idempotencyKey":"%s","touser":"%s","template_id":"TPL_order_shipped",
                 "url":"https://example.com/orders/1","miniprogram":{"appid":"%s","pagepath":"pages/order/1"},
                 "data":{"first":{"value":"您的订单已发货"},"keyword1":{"value":"SF1234567890","color":"#173177"},
                         "remark":{"value":"点击查看物流"}}}"""
                .formatted(account, key, OA_OPENID, MINI_APPID);
    }

    /** An official account's subscription notification (kind bizsend) from account. */
    public static String bizsend(String account, String key) {
        return """
                {"kind":"bizsend","app":"%s","idempotencyKey":"%s","touser":"%s","template_id":"BIZ_refund-02",
                 "page":"https://example.com/refunds/7","miniprogram":{"appid":"%s","pagepath":"pages/refund/7"},
                 "data":{"thing1":{"value":"Refund approved"},"amount2":{"value":"¥99.00"},
                         "time3":{"value":"2026-11-30 10:00"}}}"""
                .formatted(account, key, OA_OPENID, MINI_APPID);
    }

    /** A customer-service message (kind custom) from app: msgtype and its object, written out as JSON. */
    public static String custom(String app, String key, String msgtype, String object) {
        return """
                {"kind":"custom","app":"%s","idempotencyKey":"%s","touser":"%s","msgtype":"%s","%s":%s}"""
                .formatted(app, key, OPENID, msgtype, msgtype, object);
    }

    /** A mini-program subscribe message (kind subscribe) from app. */
    public static String subscribe(String app, String key) {
        return """
                {"kind":"subscribe","app":"%s","idempotencyKey":"%s","touser":"%s","template_id":"SUB_delivery-01",
                 "page":"pages/order/detail?id=1","miniprogram_state":"trial","lang":"en_US",
                 "data":{"thing1":{"value":"Order shipped"},"character_string2":{"value":"SF1234567890"},
                         "time3":{"value":"2026-11-24 15:01"}}}"""
                .formatted(app, key, OPENID);
    }

    /** A distinct openid per recipient index, shaped like WeChat's. */
    public static String openid(int index) {
        return "oRcpt%023d".formatted(index);
    }

    /** A batch for this app: the shared message, and n recipients, each with its own keyword1. */
    public static String batch(String appid, int recipients) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < recipients; i++) {
            list.append(i == 0 ? "" : ",").append("{\"touser\":\"").append(openid(i))
                    .append("\",\"data\":{\"keyword1\":{\"value\":\"prize ").append(i).append("\"}}}");
        }
        return """
                {"app":"%s","mp_template_msg":{"appid":"%s","template_id":"TPL_lottery-result_01",
                 "url":"https://example.com/download","miniprogram":{"appid":"%s","pagepath":"pages/index/index"},
                 "data":{"first":{"value":"抽奖结果通知"},"keyword1":{"value":"-"},"remark":{"value":"点击查询详情"}}},
                 "recipients":[%s]}"""
                .formatted(appid, MP_APPID, MINI_APPID, list);
    }

    /** The same batch under the caller's idempotency key. */
    public static String batch(String appid, int recipients, String idempotencyKey) {
        return batch(appid, recipients).replaceFirst("\\{", "{\"idempotencyKey\":\"" + idempotencyKey + "\",");
    }
}
