package wxsend.config.ssm;

import java.io.UncheckedIOException;
import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import wxsend.config.SecretStore;
import wxsend.config.SecretUnavailableException;

/** SecureString parameters, decrypted by SSM. Errors name the parameter, never its value. */
@ApplicationScoped
class SsmSecretStore implements SecretStore {

    private final SsmClient ssm;

    SsmSecretStore(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public String read(String parameterName) {
        try {
            return ssm.getParameter(r -> r.name(parameterName).withDecryption(true)).parameter().value();
        } catch (ParameterNotFoundException e) {
            throw new SecretUnavailableException(false, "the secret parameter " + parameterName + " does not exist");
        } catch (SdkException | UncheckedIOException e) {
            throw new SecretUnavailableException(true,
                    "reading the secret parameter " + parameterName + " failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
