package wxsend.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one clock beans inject, so that a test can move time for rules measured in minutes (a profile's alternative). */
class ClockSetup {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
