package io.sqspii.reveal;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** TLS for the HTTPS listener from a PKCS12 keystore, with the JDK's own provider; TLS 1.3 and 1.2 only. */
final class ServerTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ServerTls() {}

    static HttpsConfigurator configurator(Path keystore, char[] password) {
        SSLContext context = context(keystore, password);
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setProtocols(PROTOCOLS);
                params.setSSLParameters(p);
            }
        };
    }

    private static SSLContext context(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the PKCS12 keystore " + keystore + " ("
                    + e.getClass().getSimpleName() + "; wrong password or not PKCS12?)");
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
