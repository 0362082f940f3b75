package wxsend.send.message;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A customer-service message, as custom/send takes it from an official account or a mini program:
 * {@code msgtype} names the one object that carries it. WeChat delivers it only within 48 hours of
 * the user's last message to the account (45015 outside), and only so many per interaction (45047).
 * It has no template data, so a batch's recipients bring none.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "touser", "msgtype", "text", "image", "link", "news", "miniprogrampage" })
public record CustomMessage(
        String touser,
        String msgtype,
        Text text,
        Media image,
        Link link,
        News news,
        MiniProgramPage miniprogrampage) implements Message {

    @RegisterForReflection
    public record Text(String content) {
    }

    @RegisterForReflection
    public record Media(@JsonProperty("media_id") String mediaId) {
    }

    /** A link card (mini programs only). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Link(String title, String description, String url, @JsonProperty("thumb_url") String thumbUrl) {
    }

    /** An article card (official accounts only): WeChat takes one article. */
    @RegisterForReflection
    public record News(List<Article> articles) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Article(String title, String description, String url, String picurl) {
    }

    /** A mini program card; {@code appid} names the mini program when an official account sends it. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MiniProgramPage(String title, String appid, String pagepath,
            @JsonProperty("thumb_media_id") String thumbMediaId) {
    }

    @Override
    @JsonIgnore
    public Api api() {
        return Api.CUSTOM;
    }

    @Override
    @JsonIgnore
    public int dataSize() {
        return 0;
    }

    @Override
    public CustomMessage forRecipient(String recipient, Map<String, DataItem> overrides) {
        return new CustomMessage(recipient, msgtype, text, image, link, news, miniprogrampage);
    }
}
