package wxsend.send.request;

import java.util.Set;

import wxsend.send.message.BizsendMessage;
import wxsend.send.message.CustomMessage;
import wxsend.send.message.Message;
import wxsend.send.message.SubscribeMessage;
import wxsend.send.message.UniformMessage;

/** How strictly a message's data values are bounded, by the API that takes them. */
enum DataRule {
    /** wxsend's guard only: the retired mini-program template. */
    GUARD,
    /** Official-account templates: keywords at most 20 characters. */
    OFFICIAL_ACCOUNT,
    /** Subscribe messages: value only, bounded by the key's type. */
    SUBSCRIBE,
    /** Customer-service messages: no data at all, so a recipient brings none. */
    NONE;

    /** The fields a data item may hold: subscribe messages have no colour, so one is refused rather than dropped. */
    Set<String> itemFields() {
        return this == SUBSCRIBE ? Set.of("value") : Set.of("value", "color");
    }

    /** The longest value, in characters, for this key and value. */
    int limit(String key, String value) {
        return switch (this) {
            case GUARD, NONE -> Rules.MAX_VALUE;
            case OFFICIAL_ACCOUNT -> Rules.DROPPED_KEYS.contains(key) ? Rules.MAX_VALUE : Rules.MAX_KEYWORD_VALUE;
            case SUBSCRIBE -> type(key).equals("name") && hasHan(value) ? Rules.MAX_CHINESE_NAME
                    : Rules.SUBSCRIBE_LIMITS.getOrDefault(type(key), Rules.MAX_VALUE);
        };
    }

    /** What an error adds after "longer than N characters": whose limit it is. */
    String whose(String key, int max) {
        if (this == SUBSCRIBE && max < Rules.MAX_VALUE) {
            return " (WeChat's limit for a " + type(key) + " value)";
        }
        return max == Rules.MAX_KEYWORD_VALUE ? " (WeChat's limit for a template keyword)" : "";
    }

    /** The rule for the data a batch's recipients add to this message. */
    static DataRule of(Message message) {
        if (message instanceof CustomMessage) {
            return NONE;
        }
        if (message instanceof SubscribeMessage || message instanceof BizsendMessage) {
            return SUBSCRIBE;
        }
        if (message instanceof UniformMessage uniform && uniform.mpTemplateMsg() == null) {
            return GUARD;
        }
        return OFFICIAL_ACCOUNT;
    }

    private static boolean hasHan(String value) {
        return value.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    /** thing3 is a thing, character_string12 a character_string. */
    private static String type(String key) {
        return key.replaceFirst("\\d+$", "");
    }
}
