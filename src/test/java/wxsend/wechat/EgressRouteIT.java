package wxsend.wechat;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class EgressRouteIT extends EgressRouteTest {
}
