package wxsend.push;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same cases against the packaged application: the native executable when built with -Dnative. */
@QuarkusIntegrationTest
class PushServerIT extends PushServerTest {
}
