package dev.gauntlet.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data upload, as a browser form sends it. */
final class Multipart {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Multipart() {}

  static GauntletProcess.Response upload(GauntletProcess g, String token, String fileName, byte[] content, Map<String, String> fields)
      throws Exception {
    return upload(g, "/api/v1/datasets/upload", token, fileName, content, fields);
  }

  /** The same to another upload route, e.g. {@code /api/v1/imports}. */
  static GauntletProcess.Response upload(GauntletProcess g, String path, String token, String fileName, byte[] content,
                                         Map<String, String> fields) throws Exception {
    String boundary = "----gauntlet" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue() + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(content);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new GauntletProcess.Response(r.statusCode(), r.body());
  }
}
