package wxsend.send.request;

import java.util.Map;
import java.util.Set;

/** The field rules of every request, each written once. */
final class Rules {

    static final TextRule APPID = TextRule.matching("wx[0-9A-Za-z]{16}", "an appid: 'wx' and 16 letters or digits");
    static final TextRule OPENID = TextRule.matching("[0-9A-Za-z_-]{1,64}", "letters, digits, '_' or '-', at most 64");
    static final TextRule TEMPLATE_ID = TextRule.matching("[0-9A-Za-z_-]{1,128}", "letters, digits, '_' or '-', at most 128")
            .asRequired();
    static final TextRule COLOR = TextRule.matching("#[0-9A-Fa-f]{6}", "a colour such as #173177");
    static final TextRule EMPHASIS = TextRule.matching("[A-Za-z_][0-9A-Za-z_]{0,31}\\.DATA",
            "a data key followed by '.DATA', such as keyword1.DATA");
    static final TextRule IDEMPOTENCY_KEY = TextRule.matching("[\\x21-\\x7E]{1,128}",
            "1 to 128 printable ASCII characters, no spaces");
    static final TextRule KIND = TextRule.matching("uniform|template|subscribe|bizsend|custom",
            "uniform, template, subscribe, bizsend or custom");
    static final TextRule MINIPROGRAM_STATE = TextRule.matching("developer|trial|formal", "developer, trial or formal");
    static final TextRule LANG = TextRule.matching("zh_CN|en_US|zh_HK|zh_TW", "zh_CN, en_US, zh_HK or zh_TW");
    static final TextRule DATA_KEY = TextRule.matching("[A-Za-z_][0-9A-Za-z_]{0,31}", null);

    static final int MAX_URL = 1024;
    static final int MAX_PAGE = 1024;
    static final TextRule URL = TextRule.atMost(MAX_URL);
    static final TextRule PAGE = TextRule.atMost(MAX_PAGE);
    static final TextRule FORM_ID = TextRule.atMost(128).asRequired();
    static final TextRule VALUE = TextRule.anyText().asRequired();

    static final int MAX_VALUE = 1024;
    static final int MAX_DATA_ITEMS = 50;
    /**
     * WeChat's rule for official-account template messages since 2023-05-04: each keyword's
     * content is at most 20 characters. first and remark are dropped by WeChat, not limited.
     */
    static final int MAX_KEYWORD_VALUE = 20;
    static final Set<String> DROPPED_KEYS = Set.of("first", "remark");
    /**
     * subscribe/send's documented value limits, by the data key's type (the key less its number:
     * thing3 is a thing). Types without a documented length (time, date, amount, enum) get MAX_VALUE.
     */
    static final Map<String, Integer> SUBSCRIBE_LIMITS = Map.of("thing", 20, "number", 32, "letter", 32, "symbol", 5,
            "character_string", 32, "phone_number", 17, "car_number", 8, "name", 20, "phrase", 5);
    /** WeChat's name type: 10 Chinese characters, or 20 letters; a mix counts as Chinese. */
    static final int MAX_CHINESE_NAME = 10;

    /** Top-level fields every kind has; each kind adds its own (see {@link Kind}). */
    static final Set<String> SHARED_FIELDS = Set.of("kind", "touser", "app", "dryRun", "idempotencyKey", "deduplicate",
            "recipients");

    private Rules() {
    }
}
