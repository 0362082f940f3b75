package wxsend.send.request;

import java.util.regex.Pattern;

/**
 * What one text field must be: present or not, the shape it must match, how long it may be, and
 * how an error says what is expected. The rules themselves are in {@link Rules}.
 *
 * @param pattern null when any text will do
 * @param maxLength in UTF-16 units, as the caps have always been counted; 0 for no cap
 */
record TextRule(boolean required, Pattern pattern, int maxLength, String expected) {

    static TextRule matching(String regex, String expected) {
        return new TextRule(false, Pattern.compile(regex), 0, expected);
    }

    static TextRule anyText() {
        return new TextRule(false, null, 0, null);
    }

    static TextRule atMost(int maxLength) {
        return new TextRule(false, null, maxLength, null);
    }

    TextRule asRequired() {
        return new TextRule(true, pattern, maxLength, expected);
    }

    boolean matches(String value) {
        return pattern == null || pattern.matcher(value).matches();
    }
}
