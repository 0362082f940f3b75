package wxsend.send.request;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.CustomMessage;

/**
 * Reads a customer-service request: {@code msgtype} and the one object it names. The kinds taken
 * are those both account types or one of them document for custom/send; WeChat itself refuses a
 * kind the account cannot send (a link from an official account, news from a mini program).
 */
final class CustomReader {

    static final Set<String> MSGTYPES = Set.of("text", "image", "link", "news", "miniprogrampage");
    private static final TextRule MSGTYPE = TextRule.matching("text|image|link|news|miniprogrampage",
            "text, image, link, news or miniprogrampage").asRequired();
    /** wxsend's guard: WeChat documents none, and a chat message this long is a mistake. */
    private static final TextRule CONTENT = TextRule.atMost(2048).asRequired();
    private static final TextRule MEDIA_ID = TextRule.matching("[0-9A-Za-z_-]{1,256}", "a media_id from WeChat's media upload")
            .asRequired();
    private static final TextRule TITLE = TextRule.atMost(64).asRequired();
    private static final TextRule DESCRIPTION = TextRule.atMost(256);

    private CustomReader() {
    }

    static CustomMessage read(FieldReader in, JsonNode root, String touser) {
        String msgtype = in.text(root, "msgtype", MSGTYPE);
        if (msgtype != null && !MSGTYPES.contains(msgtype)) {
            // Refused above; read on as if missing, so no error quotes the caller's value back (it may be anything, an openid even).
            msgtype = null;
        }
        for (String other : MSGTYPES) {
            if (!other.equals(msgtype) && FieldReader.present(root, other)) {
                in.error(other, "is not read: msgtype is " + (msgtype == null ? "missing or wrong" : msgtype));
            }
        }
        if (msgtype == null) {
            return new CustomMessage(touser, null, null, null, null, null, null);
        }
        JsonNode node = root.get(msgtype);
        if (node == null || node.isNull()) {
            in.error(msgtype, "is required with msgtype " + msgtype);
            return new CustomMessage(touser, msgtype, null, null, null, null, null);
        }
        if (!in.object(node, msgtype)) {
            return new CustomMessage(touser, msgtype, null, null, null, null, null);
        }
        return switch (msgtype) {
            case "text" -> {
                in.unknown(node, "text.", Set.of("content"));
                yield new CustomMessage(touser, msgtype, new CustomMessage.Text(in.text(node, "content", "text.content", CONTENT)),
                        null, null, null, null);
            }
            case "image" -> {
                in.unknown(node, "image.", Set.of("media_id"));
                yield new CustomMessage(touser, msgtype, null,
                        new CustomMessage.Media(in.text(node, "media_id", "image.media_id", MEDIA_ID)), null, null, null);
            }
            case "link" -> new CustomMessage(touser, msgtype, null, null, link(in, node), null, null);
            case "news" -> new CustomMessage(touser, msgtype, null, null, null, news(in, node), null);
            default -> new CustomMessage(touser, msgtype, null, null, null, null, page(in, node));
        };
    }

    private static CustomMessage.Link link(FieldReader in, JsonNode node) {
        in.unknown(node, "link.", Set.of("title", "description", "url", "thumb_url"));
        String title = in.text(node, "title", "link.title", TITLE);
        String description = in.text(node, "description", "link.description", DESCRIPTION);
        String url = required(in, node, "url", "link.url");
        String thumb = required(in, node, "thumb_url", "link.thumb_url");
        return new CustomMessage.Link(title, description, url, thumb);
    }

    private static CustomMessage.News news(FieldReader in, JsonNode node) {
        in.unknown(node, "news.", Set.of("articles"));
        JsonNode articles = node.get("articles");
        if (articles == null || !articles.isArray() || articles.size() != 1) {
            in.error("news.articles", "must be an array of one article (WeChat sends one)");
            return null;
        }
        JsonNode article = articles.get(0);
        if (!in.object(article, "news.articles[0]")) {
            return null;
        }
        in.unknown(article, "news.articles[0].", Set.of("title", "description", "url", "picurl"));
        String title = in.text(article, "title", "news.articles[0].title", TITLE);
        String description = in.text(article, "description", "news.articles[0].description", DESCRIPTION);
        String url = required(in, article, "url", "news.articles[0].url");
        String picurl = FieldReader.present(article, "picurl") ? PartsReader.url(in, article, "picurl", "news.articles[0].picurl")
                : null;
        return new CustomMessage.News(List.of(new CustomMessage.Article(title, description, url, picurl)));
    }

    private static CustomMessage.MiniProgramPage page(FieldReader in, JsonNode node) {
        in.unknown(node, "miniprogrampage.", Set.of("title", "appid", "pagepath", "thumb_media_id"));
        String title = in.text(node, "title", "miniprogrampage.title", TITLE);
        String appid = in.text(node, "appid", "miniprogrampage.appid", Rules.APPID);
        String pagepath = in.text(node, "pagepath", "miniprogrampage.pagepath", Rules.PAGE.asRequired());
        String thumb = in.text(node, "thumb_media_id", "miniprogrampage.thumb_media_id", MEDIA_ID);
        return new CustomMessage.MiniProgramPage(title, appid, pagepath, thumb);
    }

    private static String required(FieldReader in, JsonNode node, String field, String path) {
        if (!FieldReader.present(node, field)) {
            in.error(path, "is required");
            return null;
        }
        return PartsReader.url(in, node, field, path);
    }
}
