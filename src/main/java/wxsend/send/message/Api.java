package wxsend.send.message;

/** WeChat's message APIs wxsend posts to, with the name a result reports in {@code via}. */
public enum Api {

    /** Mini program → official-account template message; withdrawn by WeChat in 2023 (45109). */
    UNIFORM("cgi-bin/message/wxopen/template/uniform_send", "uniform_send"),
    /** Official-account template message, with the official account's own token. */
    TEMPLATE("cgi-bin/message/template/send", "template/send"),
    /** Mini-program subscribe message. */
    SUBSCRIBE("cgi-bin/message/subscribe/send", "subscribe/send"),
    /** Official-account subscription notification, with the official account's own token. */
    BIZSEND("cgi-bin/message/subscribe/bizsend", "subscribe/bizsend"),
    /** Customer-service message, from an official account or a mini program, within 48 h of the user's last message. */
    CUSTOM("cgi-bin/message/custom/send", "custom/send");

    private final String endpoint;
    private final String label;

    Api(String endpoint, String label) {
        this.endpoint = endpoint;
        this.label = label;
    }

    public String endpoint() {
        return endpoint;
    }

    public String label() {
        return label;
    }

    /**
     * Whether WeChat drops a repeat of the same message (template/send, by client_msg_id), so a
     * retry is safe even when WeChat may already have the first.
     */
    public boolean dropsRepeats() {
        return this == TEMPLATE;
    }
}
