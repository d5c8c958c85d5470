package dev.gauntlet.it;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Generated multipart uploads for the fuzz suite: real files and fields, and broken ones (no name, odd names, odd bytes). */
final class MultipartFuzz {

  /** One part: a form field, or a file when {@code fileName} is set. */
  record Part(String name, String fileName, byte[] content) {}

  private MultipartFuzz() {}

  static List<Part> parts(FuzzInputs in, boolean valid) {
    List<Part> parts = new ArrayList<>();
    String fileName = valid ? in.pick(List.of("prompts.csv", "prompts.txt", "prompts.jsonl", "seed.yaml", "prompts.tsv"))
        : in.pick(List.of("", "../../x.csv", "a\u0000.csv", in.odd(true) + ".csv", "noextension", "x.exe"));
    byte[] content = valid ? in.pick(List.of("prompt\nhello\nworld\n", "hello\nworld\n", "{\"value\": \"hi\"}\n",
        "prompts:\n  - value: hi\n", "prompt\tcategory\nhi\tx\n")).getBytes(StandardCharsets.UTF_8) : garbage(in);
    if (valid || in.chance(0.7)) {
      parts.add(new Part("file", fileName, content));
    }
    if (valid ? in.chance(0.7) : in.chance(0.5)) {
      parts.add(new Part("preview", null, (valid ? in.pick(List.of("true", "false")) : in.odd(true)).getBytes(StandardCharsets.UTF_8)));
    }
    if (valid ? in.chance(0.7) : in.chance(0.5)) {
      parts.add(new Part("name", null, (valid ? in.name() : in.odd(false)).getBytes(StandardCharsets.UTF_8)));
    }
    if (in.chance(valid ? 0.3 : 0.5)) {
      parts.add(new Part("format", null, (valid ? in.pick(List.of("csv", "txt", "jsonl", "yaml")) : in.odd(true))
          .getBytes(StandardCharsets.UTF_8)));
    }
    if (!valid && in.chance(0.4)) {
      parts.add(new Part(in.pick(List.of("", "\"", in.odd(true))), in.chance(0.5) ? null : "x.csv", garbage(in)));
    }
    return parts;
  }

  private static byte[] garbage(FuzzInputs in) {
    return switch (in.r.nextInt(4)) {
      case 0 -> new byte[0];
      case 1 -> {
        byte[] b = new byte[1 + in.r.nextInt(4096)];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) in.r.nextInt(256);
        }
        yield b;
      }
      case 2 -> in.odd(false).getBytes(StandardCharsets.UTF_8);
      default -> String.valueOf(in.json(3)).getBytes(StandardCharsets.UTF_8);
    };
  }

  static String describe(List<Part> parts) {
    return parts.stream().map(p -> "[name=" + p.name() + (p.fileName() == null ? "" : " file=" + p.fileName()) + " " + p.content().length
        + " bytes: " + head(new String(p.content(), StandardCharsets.UTF_8)) + "]").toList().toString();
  }

  private static String head(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  static OpenApiFixture.Answer send(GauntletProcess g, String token, List<Part> parts) throws Exception {
    return send(g, "/api/v1/datasets/upload", token, parts);
  }

  /** The same to another upload route. */
  static OpenApiFixture.Answer send(GauntletProcess g, String path, String token, List<Part> parts) throws Exception {
    String boundary = "----gauntletfuzz" + Integer.toHexString(parts.hashCode());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Part p : parts) {
      String disposition = "Content-Disposition: form-data; name=\"" + p.name() + "\""
          + (p.fileName() == null ? "" : "; filename=\"" + p.fileName() + "\"");
      body.write(("--" + boundary + "\r\n" + disposition + "\r\n" + (p.fileName() == null ? "" : "Content-Type: application/octet-stream\r\n")
          + "\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(p.content());
      body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(g.uri(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> r = OpenApiFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new OpenApiFixture.Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        new String(r.body(), StandardCharsets.UTF_8));
  }
}
