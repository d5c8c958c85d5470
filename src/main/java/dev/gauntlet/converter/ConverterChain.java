package dev.gauntlet.converter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Converters applied one after the other, each to the output of the one before; the first that
 * fails fails the chain. Steps may carry the PyRIT identifier recorded in {@code converter_identifiers}.
 */
public final class ConverterChain implements Converter {

  private record Step(Converter converter, JsonObject identifier) {
  }

  private final List<Step> steps;

  private ConverterChain(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public static ConverterChain of(List<? extends Converter> converters) {
    List<Step> steps = new ArrayList<>();
    converters.forEach(c -> steps.add(new Step(c, null)));
    return new ConverterChain(steps);
  }

  public static ConverterChain of(Converter... converters) {
    return of(List.of(converters));
  }

  /** This chain followed by one more converter, recorded under {@code identifier} (see {@link #identifier}). */
  public ConverterChain then(Converter converter, JsonObject identifier) {
    List<Step> more = new ArrayList<>(steps);
    more.add(new Step(converter, identifier));
    return new ConverterChain(more);
  }

  /** PyRIT's identifier of one converter configuration, as stored in {@code converter_identifiers}. */
  public static JsonObject identifier(String type, String id, String name) {
    return new JsonObject().put("__type__", type).put("__module__", "gauntlet.converter").put("id", id).put("name", name);
  }

  /** The identifiers of the steps that have one, in order: the {@code converter_identifiers} value. */
  public JsonArray identifiers() {
    JsonArray out = new JsonArray();
    steps.stream().filter(s -> s.identifier() != null).forEach(s -> out.add(s.identifier().copy()));
    return out;
  }

  public int size() {
    return steps.size();
  }

  @Override
  public Future<String> convert(String prompt) {
    Future<String> out = Future.succeededFuture(prompt);
    for (Step step : steps) {
      out = out.compose(text -> step.converter().convert(text));
    }
    return out;
  }

  @Override
  public boolean deterministic() {
    return steps.stream().allMatch(s -> s.converter().deterministic());
  }
}
