package wxsend.token;

import java.time.Duration;
import java.time.Instant;

/** An access_token with the absolute time it stops working. */
public record AccessToken(String value, Instant expiresAt) {

    /** Usable while more than the refresh margin is left. */
    public boolean usableAt(Instant now, Duration refreshMargin) {
        return now.plus(refreshMargin).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[value=***, expiresAt=" + expiresAt + "]";
    }
}
