package wxsend.token;

import java.time.Duration;

/**
 * How the provider refreshes tokens.
 *
 * @param refreshMargin a token this close to expiry is replaced
 * @param leaseDuration how long one instance may hold the refresh lease
 * @param forceDailyCap forced refreshes allowed per app and day
 * @param forceSpacing the least time between two forced refreshes of an app
 */
public record TokenSettings(Duration refreshMargin, Duration leaseDuration, int forceDailyCap, Duration forceSpacing) {
}
