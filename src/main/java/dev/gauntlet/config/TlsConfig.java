package dev.gauntlet.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Optional TLS for the HTTP server: a PEM certificate chain and private key, or a key store
 * (PKCS12 or JKS). With neither, the server speaks plain HTTP (behind a TLS-terminating proxy).
 */
public record TlsConfig(String certPath, String keyPath, String keyStorePath, String keyStorePassword, String keyStoreType) {

  static TlsConfig from(JsonObject json) {
    TlsConfig tls = new TlsConfig(json.getString("certPath", ""), json.getString("keyPath", ""),
        json.getString("keyStorePath", ""), json.getString("keyStorePassword", ""), json.getString("keyStoreType", "PKCS12"));
    tls.check();
    return tls;
  }

  public boolean enabled() {
    return pem() || !keyStorePath.isEmpty();
  }

  public boolean pem() {
    return !certPath.isEmpty();
  }

  private void check() {
    if (certPath.isEmpty() != keyPath.isEmpty()) {
      throw new IllegalArgumentException("http.tls.certPath and http.tls.keyPath go together: give both PEM files or neither");
    }
    if (pem() && !keyStorePath.isEmpty()) {
      throw new IllegalArgumentException("give http.tls.certPath/keyPath or http.tls.keyStorePath, not both");
    }
    if (!keyStorePath.isEmpty() && !java.util.Set.of("PKCS12", "JKS").contains(keyStoreType.toUpperCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("http.tls.keyStoreType must be PKCS12 or JKS, got " + keyStoreType);
    }
    for (String file : new String[] {certPath, keyPath, keyStorePath}) {
      if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
        throw new IllegalArgumentException("TLS file not found or not readable: " + file);
      }
    }
  }
}
