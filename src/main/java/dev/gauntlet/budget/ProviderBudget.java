package dev.gauntlet.budget;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * What an admin allows one provider endpoint host, shared by every user and execution: requests
 * per minute (evenly spaced), tokens per UTC day, and a spend cap per UTC day in US dollars,
 * priced per model from {@code prices} ({@code {"gpt-4o": {"input_per_million": 2.5,
 * "output_per_million": 10}, "*": {...}}}; {@code *} prices every other model). 0 means no limit.
 */
public record ProviderBudget(String host, int requestsPerMinute, long tokensPerDay, double spendCapUsd, JsonObject prices,
                             String updatedAt, String updatedBy) {

  public static final String ANY_MODEL = "*";

  /** A host as budgets name it: lower case, no scheme, port or path. */
  public static String host(String given) {
    if (given == null || given.isBlank()) {
      throw Problem.badRequest("invalid_field", "'host' is required: the endpoint's host name, e.g. api.openai.com");
    }
    String h = given.trim().toLowerCase(Locale.ROOT);
    if (h.length() > 253 || !h.matches("[a-z0-9._\\-]+|\\[[0-9a-f:.]+\\]")) {
      throw Problem.badRequest("invalid_field", "'host' must be a host name or address without scheme, port or path, e.g. "
          + "api.openai.com");
    }
    return h;
  }

  /** Reads an admin's budget for {@code host}, refusing what is not a number in range. */
  public static ProviderBudget from(String host, JsonObject body, String by, String at) {
    int rpm = (int) whole(body, "requests_per_minute", 1_000_000);
    long tokens = whole(body, "tokens_per_day", Long.MAX_VALUE / 4);
    double cap = amount(body, "spend_cap_usd");
    Object p = body.getValue("prices");
    if (p != null && !(p instanceof JsonObject)) {
      throw Problem.badRequest("invalid_field", "'prices' must be an object: model → {input_per_million, output_per_million}");
    }
    JsonObject prices = p == null ? new JsonObject() : ((JsonObject) p).copy();
    for (String model : prices.fieldNames()) {
      if (!(prices.getValue(model) instanceof JsonObject price)) {
        throw Problem.badRequest("invalid_field", "'prices." + model + "' must be {input_per_million, output_per_million}");
      }
      for (String k : price.fieldNames()) {
        if (!k.equals("input_per_million") && !k.equals("output_per_million")) {
          throw Problem.badRequest("invalid_field", "'prices." + model + "." + k + "' is not a price: use input_per_million, "
              + "output_per_million (US dollars per million tokens)");
        }
        amount(price, k);
      }
    }
    if (cap > 0 && prices.isEmpty()) {
      throw Problem.badRequest("invalid_field", "'spend_cap_usd' needs 'prices' (per model, or '*' for every model) to count spend");
    }
    if (rpm == 0 && tokens == 0 && cap == 0) {
      throw Problem.badRequest("invalid_field", "give at least one of requests_per_minute, tokens_per_day, spend_cap_usd above 0");
    }
    return new ProviderBudget(host(host), rpm, tokens, cap, prices, at, by);
  }

  private static long whole(JsonObject body, String key, long max) {
    Object v = body.getValue(key);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0 || n.doubleValue() > max) {
      throw Problem.badRequest("invalid_field", "'" + key + "' must be a whole number from 0 (no limit) to " + max + ", got " + v);
    }
    return n.longValue();
  }

  private static double amount(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0 || n.doubleValue() > 1e12) {
      throw Problem.badRequest("invalid_field", "'" + key + "' must be a number of US dollars, 0 or more, got " + v);
    }
    return n.doubleValue();
  }

  /** What a request of {@code model} that used these tokens cost, from its price (or the {@code *} price; else 0). */
  public double cost(String model, long inputTokens, long outputTokens) {
    JsonObject price = model != null && prices.getValue(model) instanceof JsonObject own ? own
        : prices.getValue(ANY_MODEL) instanceof JsonObject any ? any : null;
    if (price == null) {
      return 0;
    }
    return (inputTokens * price.getDouble("input_per_million", 0.0) + outputTokens * price.getDouble("output_per_million", 0.0)) / 1e6;
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("requests_per_minute", requestsPerMinute).put("tokens_per_day", tokensPerDay)
        .put("spend_cap_usd", spendCapUsd).put("prices", prices.copy()).put("updated_at", updatedAt).put("updated_by", updatedBy);
  }
}
