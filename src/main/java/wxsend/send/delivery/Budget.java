package wxsend.send.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import wxsend.config.WxsendConfig;

/** When a send must stop starting calls, so that the last one still ends inside SEND_TIME_BUDGET. */
@ApplicationScoped
public class Budget {

    private final long budgetMillis;
    private final long oneCallMillis;

    Budget(WxsendConfig config) {
        this.budgetMillis = config.send().timeBudget().toMillis();
        this.oneCallMillis = config.wechat().connectTimeout().plus(config.wechat().readTimeout()).toMillis();
    }

    /** One call's worst case: the connect and read timeouts. */
    long oneCallMillis() {
        return oneCallMillis;
    }

    /** The last moment a call may start: the budget less one call's worst case. */
    public long lastStart(long started) {
        return started + budgetMillis - oneCallMillis;
    }
}
