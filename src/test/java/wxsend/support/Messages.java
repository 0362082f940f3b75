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

    /** The body with the sending app named. */
    public static String forApp(String appid) {
        return body().replaceFirst("\\{", "{\"app\":\"" + appid + "\",");
    }
}
