package dev.gauntlet.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Binary downloads (Parquet exports). */
final class Bytes {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Bytes() {}

  static byte[] get(GauntletProcess g, String path, String token) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + new String(r.body()));
    }
    return r.body();
  }
}
