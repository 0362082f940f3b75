package wxsend.send.outcome;

/**
 * What a caller sent appears in answers and logs only masked where it may be a person's openid:
 * enough to tell two apart, not enough to reach one. Public for the broadcast planner, which
 * names a line's fields too.
 */
public final class Masking {

    /**
     * The longest caller's field name quoted whole. WeChat's openids are 28 characters and its
     * unionids 28 or 29, so every whole one used as a key is masked, and so is one with up to three
     * characters lost in a copy. A name of 24 or fewer cannot hold a whole openid, and WeChat takes
     * no part of one (the openid is per app, and is matched whole). Every name of wxsend's or
     * WeChat's is at most 21 characters ({@code officialAccountOpenid}; the longest template key,
     * {@code character_string} and its number, is under 20), so the margin keeps a typo of one of
     * them readable. A data key may be up to 32 characters: one over 24 is named by its first four
     * and last two characters and its length, which still tells the caller which one it is.
     */
    public static final int NAME_SHOWN = 24;

    private Masking() {
    }

    static String openid(String openid) {
        if (openid == null) {
            return "-";
        }
        return openid.length() <= 8 ? "***" : openid.substring(0, 4) + "***" + openid.substring(openid.length() - 2);
    }

    /**
     * A caller's field name, fit to be quoted in an answer, a log or a failures report: control
     * characters and half surrogate pairs as '?', and masked when longer than {@value #NAME_SHOWN}
     * characters, the way a recipient is: such a name is a value in the wrong place, most often an
     * openid used as a key.
     */
    public static String name(String name) {
        int[] shown = name.codePoints().map(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '?' : c)
                .toArray();
        if (shown.length <= NAME_SHOWN) {
            return new String(shown, 0, shown.length);
        }
        return new String(shown, 0, 4) + "***" + new String(shown, shown.length - 2, 2) + " (" + shown.length + " characters)";
    }
}
