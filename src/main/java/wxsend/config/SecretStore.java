package wxsend.config;

/** Where app secrets live outside configuration. */
public interface SecretStore {

    /** @throws SecretUnavailableException when the secret cannot be read */
    String read(String parameterName);
}
