package dev.gauntlet.it;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client connecting from its own loopback address (127.0.0.x), so that per-address limits
 * meet a distinct client, with a browser's cookie jar and no redirect following.
 */
final class LocalClient implements AutoCloseable {

  record Answer(int status, MultiMap headers, String body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern META_TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

  private final WebClient client;
  private final WebClientSession session;
  private final int port;

  LocalClient(Vertx vertx, String localAddress, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setLocalAddress(localAddress).setFollowRedirects(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.session = WebClientSession.create(client);
    this.port = port;
  }

  Future<Answer> postJsonAsync(String path, JsonObject body) {
    return session.post(port, "127.0.0.1", path).sendJsonObject(body).map(LocalClient::answer);
  }

  Answer postJson(String path, JsonObject body) throws Exception {
    return postJsonAsync(path, body).await(60, TimeUnit.SECONDS);
  }

  /** A JSON write with the session cookie, and the CSRF header when given. */
  Answer postJsonWithCookie(String path, JsonObject body, String csrf) throws Exception {
    var request = session.post(port, "127.0.0.1", path);
    if (csrf != null) {
      request.putHeader("X-CSRF-Token", csrf);
    }
    return request.sendJsonObject(body).map(LocalClient::answer).await(60, TimeUnit.SECONDS);
  }

  Answer get(String path) throws Exception {
    return session.get(port, "127.0.0.1", path).send().map(LocalClient::answer).await(60, TimeUnit.SECONDS);
  }

  Answer postForm(String path, Map<String, String> fields) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    fields.forEach(form::add);
    return session.post(port, "127.0.0.1", path).sendForm(form).map(LocalClient::answer).await(60, TimeUnit.SECONDS);
  }

  /** Fills the sign-in form as a browser does: the page first (cookie and token), then the post. */
  Answer signInForm(String login, String password) throws Exception {
    Matcher m = FORM_TOKEN.matcher(get("/login").body());
    if (!m.find()) {
      throw new AssertionError("the sign-in form carries no CSRF token");
    }
    return postForm("/login", Map.of("username", login, "password", password, "_csrf", m.group(1)));
  }

  /** The CSRF token a signed-in page gives its scripts. */
  String csrfFromPage(String path) throws Exception {
    Answer page = get(path);
    Matcher m = META_TOKEN.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError(path + " carries no CSRF token: " + page.status());
    }
    return m.group(1);
  }

  private static Answer answer(HttpResponse<Buffer> r) {
    return new Answer(r.statusCode(), r.headers(), r.bodyAsString() == null ? "" : r.bodyAsString());
  }

  @Override
  public void close() {
    client.close();
  }
}
