package dev.gauntlet.it;

import dev.gauntlet.it.SecurityFixture.Reply;
import dev.gauntlet.it.SecurityFixture.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.gauntlet.it.SecurityFixture.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Gauntlet attacked as an attacker would, part two: hostile input and abuse: hostile upload file
 * names, SQL metacharacters in every filter, broken bodies on every write route, password guessing,
 * key issuing, attempts on the audit log, security headers and CSRF. Every case must answer 4xx,
 * leave the server up and stored data unchanged, and leave its refusal in the audit log. One jar
 * serves every case; {@link SecurityIsolationIT} is part one.
 */
class SecurityAbuseIT extends SecuritySuite {

  @Test
  void uploadFileNamesNeverBecomePaths() throws Exception {
    String tag = "evil-" + UUID.randomUUID();
    List<String> names = List.of("../../../../" + tag + ".txt", "..\\..\\..\\" + tag + ".txt", "/tmp/" + tag + ".txt",
        "....//....//" + tag + ".txt", "%2e%2e%2f" + tag + ".txt", "uploads/../../" + tag + ".txt", tag + ".txt\u0000.csv");
    Path root = g.dataDir.getParent();
    for (String name : names) {
      GauntletProcess.Response r = Multipart.upload(g, f.alice, name, "first prompt\nsecond prompt\n".getBytes(StandardCharsets.UTF_8),
          Map.of("name", "../../" + tag + "-" + names.indexOf(name), "format", "txt")); // dataset names are unique
      assertTrue(r.status() == 201 || r.status() == 400, name + ": " + r.text());
      assertFalse(r.text().contains(root.toString()), "no server path in the answer: " + r.text());
    }
    Thread.sleep(200);
    try (Stream<Path> all = Stream.concat(Files.walk(root), Files.list(Path.of("/tmp")))) {
      List<Path> planted = all.filter(p -> p.getFileName() != null && p.getFileName().toString().contains(tag)).toList();
      assertTrue(planted.isEmpty(), "a file name became a path: " + planted);
    }
    Path uploads = g.dataDir.resolve("files").resolve("uploads");
    if (Files.isDirectory(uploads)) {
      try (Stream<Path> left = Files.list(uploads)) {
        assertEquals(List.of(), left.toList(), "uploads are removed once read");
      }
    }
  }

  /** Quotes, comment and statement breaks, LIKE wildcards, escapes, a tautology, a UNION, line breaks and NUL. */
  static final List<String> SQL = List.of("' OR '1'='1", "1; DROP TABLE audit_log; --", "%", "_", "\"'`%_\\*/--#",
      "') UNION SELECT id, password_hash FROM local_accounts --", "\r\nX-Injected: yes", "\u0000{{7*7}}$.x");
  /** Parameters with a fixed form (numbers, enumerations, instants): tried apart, so their 400 cannot hide the free-text filters. */
  static final Set<String> FORMED = Set.of("offset", "limit", "days", "format", "outcome", "since", "until");

  @Test
  void sqlMetacharactersInEveryFilterAreLiteralOrRefusedNeverA500() throws Exception {
    Set<String> names = QueryParameters.everyDocumented();
    for (Route r : f.routes) {
      if (!r.api() || r.write()) {
        continue;
      }
      String token = r.admin() ? f.admin : f.alice;
      String path = r.fill((segment, param) -> SHARED_PARAMS.contains(param) ? "x" : f.aliceId(segment, param));
      for (String payload : SQL) {
        StringBuilder q = new StringBuilder();
        names.stream().filter(n -> !FORMED.contains(n)).forEach(n -> q.append(q.length() == 0 ? "?" : "&").append(n).append('=').append(enc(payload)));
        Reply reply = f.json("GET", path + q, token, null);
        assertTrue(reply.status() < 500, r + " with " + payload + ": " + reply.status() + " " + reply.text());
        assertFalse(reply.text().contains(f.bobSecret), r + " leaked bob's data");
        assertFalse(reply.headers().firstValue("X-Injected").isPresent(), "a parameter reached a header");
      }
      StringBuilder formed = new StringBuilder();
      FORMED.forEach(n -> formed.append(formed.length() == 0 ? "?" : "&").append(n).append('=').append(enc(SQL.get(0))));
      Reply reply = f.json("GET", path + formed, token, null);
      assertTrue(reply.status() < 500, r + " with " + formed + ": " + reply.text());
    }
    for (String[] formed : new String[][] {{"/api/v1/generators", "limit"}, {"/api/v1/memory/conversations", "offset"},
        {"/api/v1/dashboard/summary", "days"}, {"/api/v1/memory/export", "format"}, {"/api/v1/admin/audit", "since"},
        {"/api/v1/admin/audit", "outcome"}}) {
      Reply reply = f.json("GET", formed[0] + "?" + formed[1] + "=" + enc(SQL.get(0)), f.admin, null);
      assertEquals(400, reply.status(), formed[0] + "?" + formed[1] + ": " + reply.text());
    }
    for (String payload : SQL) {
      for (String filter : List.of("user", "action", "resource")) {
        assertEquals(0, f.audited(filter + "=" + enc(payload)), "audit " + filter + "=" + payload + " is literal");
      }
      Reply export = f.json("GET", "/api/v1/memory/export?format=jsonl&conversation_id=" + enc(payload), f.alice, null);
      assertEquals(200, export.status(), export.text());
      assertEquals("0", export.headers().firstValue("X-Gauntlet-Rows").orElse(null), "conversation_id=" + payload + " matched rows");
    }
  }

  @Test
  void oversizedTruncatedAndInvalidUtf8BodiesAreRefusedOnEveryWriteRoute() throws Exception {
    JsonObject tablesBefore = g.get("/api/v1/database/status", f.alice).json().getJsonObject("tables");
    byte[] oversized = ("{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] truncated = "{\"name\":\"x\",\"type\":\"simulated\",\"parameters\":{\"a\":".getBytes(StandardCharsets.UTF_8);
    byte[] invalidUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
    int routes = 0;
    for (Route r : f.routes) {
      if (!r.api() || !r.write()) {
        continue;
      }
      String token = r.admin() ? f.admin : f.alice;
      String path = r.fill((segment, param) -> SHARED_PARAMS.contains(param) ? "x" : f.aliceId(segment, param));
      Reply big = f.send(r.method(), path, token, "application/json", oversized, Map.of());
      if (path.equals("/api/v1/imports")) {
        // other tools' files stream to disk up to 4 GiB (Uploads.IMPORT_BYTES): a megabyte is no
        // oversize there, but a JSON body is no upload
        assertEquals(400, big.status(), r + " a JSON body: " + big.text());
        assertEquals("invalid_upload", big.errorCode());
        routes++;
        continue;
      }
      assertEquals(413, big.status(), r + " oversized: " + big.text());
      assertEquals("payload_too_large", big.errorCode());
      for (byte[] broken : List.of(truncated, invalidUtf8)) {
        Reply bad = f.send(r.method(), path, token, "application/json", broken, Map.of());
        assertEquals(400, bad.status(), r + " " + new String(broken, StandardCharsets.UTF_8) + ": " + bad.text());
        assertEquals("invalid_json", bad.errorCode(), bad.text());
      }
      routes++;
    }
    assertTrue(routes >= 30, "only " + routes + " write routes");
    Reply multipart = f.send("POST", "/api/v1/datasets/upload", f.alice, "multipart/form-data; boundary=XyZ",
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhalf a fi".getBytes(StandardCharsets.UTF_8), Map.of());
    assertTrue(multipart.status() >= 400 && multipart.status() < 500, "a truncated upload: " + multipart.status() + " " + multipart.text());
    assertEquals(tablesBefore, g.get("/api/v1/database/status", f.alice).json().getJsonObject("tables"), "nothing was stored");
    assertEquals(200, g.get("/health", null).status());
  }

  @Test
  void bruteForceSignInLocksTheAccountThenTheLoginAndTheAddressAreThrottled() throws Exception {
    assertEquals(201, g.post("/api/v1/admin/users", f.admin, new JsonObject().put("username", "victim-sec")
        .put("password", "victim-password")).status());
    JsonObject wrong = new JsonObject().put("username", "victim-sec").put("password", "guess-password");
    try (LocalClient attacker = new LocalClient(vertx, "127.0.0.2", g.port)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(401, attacker.postJson("/api/v1/auth/token", wrong).status(), "guess " + (i + 1));
      }
      LocalClient.Answer locked = attacker.postJson("/api/v1/auth/token", wrong.copy().put("password", "victim-password"));
      assertEquals(429, locked.status(), "even the right password is refused while locked: " + locked.body());
      assertEquals("account_locked", new JsonObject(locked.body()).getJsonObject("error").getString("code"));
      assertTrue(Long.parseLong(locked.header("Retry-After")) > 60, "locked for minutes: " + locked.header("Retry-After"));
    }
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.3", g.port)) {
      LocalClient.Answer form = browser.signInForm("victim-sec", "victim-password");
      assertEquals(429, form.status(), form.body());
      assertNotNull(form.header("Retry-After"));
      assertTrue(form.body().contains("locked"), "the form says why");
    }
    try (LocalClient attacker = new LocalClient(vertx, "127.0.0.4", g.port)) {
      LocalClient.Answer last = null;
      for (int i = 0; i < 10 && (last == null || last.status() != 429 || !last.body().contains("rate_limited")); i++) {
        last = attacker.postJson("/api/v1/auth/token", wrong);
      }
      assertEquals(429, last.status(), "the login's own bucket runs dry: " + last.body());
      assertEquals("rate_limited", new JsonObject(last.body()).getJsonObject("error").getString("code"));
      long retry = Long.parseLong(last.header("Retry-After"));
      assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    }
    try (LocalClient sprayer = new LocalClient(vertx, "127.0.0.5", g.port)) {
      // the bucket refills while the guesses are checked, so allow a few more than it holds
      int allowed = 0;
      LocalClient.Answer sprayed = null;
      for (int round = 0; round < 6 && (sprayed == null || sprayed.status() != 429); round++) {
        List<io.vertx.core.Future<LocalClient.Answer>> guesses = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          guesses.add(sprayer.postJsonAsync("/api/v1/auth/token", new JsonObject().put("username", "nobody-" + round + "-" + i)
              .put("password", "guess-password")));
        }
        for (var guess : guesses) {
          LocalClient.Answer a = guess.await(60, TimeUnit.SECONDS);
          assertTrue(a.status() == 401 || a.status() == 429, a.body());
          allowed += a.status() == 401 ? 1 : 0;
          sprayed = a.status() == 429 ? a : sprayed;
        }
      }
      assertNotNull(sprayed, "one address may not try logins without end");
      assertTrue(allowed >= SIGN_INS_PER_ADDRESS && allowed < SIGN_INS_PER_ADDRESS + 8, allowed + " guesses from one address were checked");
      assertEquals("rate_limited", new JsonObject(sprayed.body()).getJsonObject("error").getString("code"));
      assertNotNull(sprayed.header("Retry-After"));
    }
    assertEquals(200, g.get("/api/v1/auth/me", f.alice).status(), "others are not slowed down");
    f.auditedAtLeast("user=victim-sec&outcome=refused", 7);
    JsonArray refusals = f.auditRows("user=victim-sec&outcome=refused");
    assertTrue(refusals.size() >= 7, refusals.encodePrettily());
    assertTrue(refusals.stream().anyMatch(o -> ((JsonObject) o).getInteger("status") == 429 && "127.0.0.2".equals(((JsonObject) o).getString("address"))),
        "the locked account's refusal is audited");
    assertTrue(refusals.stream().anyMatch(o -> ((JsonObject) o).getInteger("status") == 429 && "127.0.0.4".equals(((JsonObject) o).getString("address"))),
        "the throttled login's refusal is audited under that login");
    assertTrue(f.auditedRow("outcome=refused&action=" + enc("POST /api/v1/auth/token"),
        o -> "127.0.0.5".equals(o.getString("address")) && o.getInteger("status") == 429),
        "the throttled address is in the audit log");
  }

  @Test
  void issuingKeysIsRateLimitedPerUser() throws Exception {
    String carol = g.newUser(f.admin, "keys-sec");
    GauntletProcess.Response last = null;
    int issued = 0;
    for (int i = 0; i < 12 && (last == null || last.status() == 201); i++) {
      last = g.post("/api/v1/keys", carol, new JsonObject().put("name", "k" + i));
      issued += last.status() == 201 ? 1 : 0;
    }
    assertEquals(10, issued, "the default allows 10 a minute");
    assertEquals(429, last.status());
    assertEquals("rate_limited", last.errorCode());
    assertEquals(1, f.auditedAtLeast("user=keys-sec&outcome=refused&action=" + enc("POST /api/v1/keys"), 1));
  }

  @Test
  void noRouteChangesTheAuditLogAndTheDatabaseRefusesEveryChange() throws Exception {
    f.routes.stream().filter(r -> r.path().contains("audit")).forEach(r -> assertEquals("GET", r.method(), r + " may change the audit log"));
    JsonArray before = f.auditRows("");
    String oldest = before.getJsonObject(before.size() - 1).getValue("id").toString();
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      for (String path : List.of("/api/v1/admin/audit", "/api/v1/admin/audit/" + oldest)) {
        Reply r = f.json(method, path, f.admin, new JsonObject().put("outcome", "success"));
        assertTrue(r.status() == 404 || r.status() == 405, method + " " + path + ": " + r.text());
      }
    }
    JsonArray after = f.auditRows("");
    Map<Object, JsonObject> byId = new java.util.HashMap<>();
    after.forEach(o -> byId.put(((JsonObject) o).getValue("id"), (JsonObject) o));
    before.forEach(o -> assertEquals(o, byId.get(((JsonObject) o).getValue("id")), "audit row changed"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.appDatabase()); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
      for (String sql : List.of("UPDATE audit_log SET outcome = 'success'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = " + oldest)) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
      }
    }
  }

  @Test
  void everyResponseCarriesSecurityHeadersAndEveryFormPostNeedsItsToken() throws Exception {
    List<Reply> replies = new java.util.ArrayList<>();
    for (String path : List.of("/health", "/ready", "/metrics", "/login", "/static/css/app.css", "/static/js/app.js", "/no-such-page",
        "/api/v1/auth/me", "/api/v1/no-such-endpoint", "/eventbus/info")) {
      replies.add(f.send("GET", path, null, null, null, Map.of()));
    }
    replies.add(f.send("POST", "/api/v1/generators", f.alice, "application/json", new byte[2 * 1024 * 1024], Map.of()));
    for (Reply r : replies) {
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
      assertTrue(r.headers().firstValue("Referrer-Policy").isPresent());
      assertFalse(r.headers().firstValue("Strict-Transport-Security").isPresent(), "no HSTS over plain HTTP");
    }
    String cookie = replies.get(3).headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gauntlet.session=")).findFirst().orElseThrow();
    String lower = cookie.toLowerCase(java.util.Locale.ROOT);
    assertTrue(lower.contains("httponly") && lower.contains("samesite=strict"), cookie);
    assertFalse(lower.contains("secure"), "no Secure flag over plain HTTP, or browsers would drop the cookie: " + cookie);

    g.newUser(f.admin, "forms-sec");
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.6", g.port)) {
      assertEquals(403, browser.postForm("/login", Map.of("username", "forms-sec", "password", "forms-sec-password")).status(),
          "a sign-in without the form's token is refused");
      assertEquals(303, browser.signInForm("forms-sec", "forms-sec-password").status());
      String csrf = browser.csrfFromPage("/");
      assertEquals(403, browser.postForm("/logout", Map.of()).status(), "a sign-out without the token is refused");
      LocalClient.Answer noHeader = browser.postJsonWithCookie("/api/v1/generators", SecurityFixture.typed("g", "simulated"), null);
      assertEquals(403, noHeader.status(), noHeader.body());
      assertEquals("csrf", new JsonObject(noHeader.body()).getJsonObject("error").getString("code"));
      assertEquals(201, browser.postJsonWithCookie("/api/v1/generators", SecurityFixture.typed("g", "simulated"), csrf).status());
      assertEquals(303, browser.postForm("/logout", Map.of("_csrf", csrf)).status());
      assertEquals(401, browser.postJsonWithCookie("/api/v1/generators", SecurityFixture.typed("g", "simulated"), csrf).status(),
          "the session ended");
    }
    assertTrue(f.auditedAtLeast("outcome=refused&action=" + enc("POST /login"), 1) >= 1);
  }

  @Test
  void theAuditPageIsForAdminsOnly() throws Exception {
    try (LocalClient admin = new LocalClient(vertx, "127.0.0.7", g.port); LocalClient user = new LocalClient(vertx, "127.0.0.8", g.port)) {
      assertEquals(303, admin.signInForm("admin", GauntletProcess.ADMIN_PASSWORD).status());
      LocalClient.Answer page = admin.get("/admin/audit");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("/static/js/admin-audit.js") && page.body().contains("id=\"audit\""), page.body());
      assertTrue(admin.get("/").body().contains("href=\"/admin/audit\""), "admins find it in the navigation");
      assertEquals(303, user.signInForm("bob-sec", "bob-sec-password").status());
      assertEquals(403, user.get("/admin/audit").status());
      assertFalse(user.get("/").body().contains("/admin/audit"), "others do not see the link");
    }
  }

  /**
   * Multipart on a method Vert.x will not decode it for, or a part without a name, is the
   * caller's mistake: a 400 in the error shape, before any credential, and no stack trace logged.
   */
  @Test
  void unreadableMultipartIsA400BeforeAuthenticationWithNoTraceInTheLog() throws Exception {
    int severeBefore = severe();
    String body = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n";
    String nameless = "--xyz\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--xyz--\r\n";
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String[] c : new String[][] {{"GET", "/api/v1/generators", body}, {"OPTIONS", "/api/v1/generators", body},
        {"GET", "/login", body}, {"POST", "/api/v1/generators", nameless}, {"POST", "/login", nameless},
        {"POST", "/api/v1/datasets/upload", nameless}}) {
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              "http://127.0.0.1:" + g.port + c[1])).method(c[0], java.net.http.HttpRequest.BodyPublishers.ofString(c[2]))
          .header("Content-Type", "multipart/form-data; boundary=xyz").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, c[0] + " " + c[1] + ": " + r.statusCode() + " " + r.body());
      if (r.statusCode() == 400) {
        assertNotNull(new JsonObject(r.body()).getJsonObject("error").getString("message"), r.body());
      }
    }
    Thread.sleep(300);
    assertEquals(severeBefore, severe(), "no caller's mistake is logged as a server error");
    assertEquals(200, g.get("/health", null).status(), "the server is still up");
  }

  private static int severe() {
    return (int) g.output().lines().filter(l -> l.contains("SEVERE")).count();
  }
}
