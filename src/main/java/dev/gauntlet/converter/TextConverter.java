package dev.gauntlet.converter;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A converter that is a plain function of its text, so it completes at once. A bad input (only
 * possible for decoders) fails the future instead of throwing at the caller.
 */
abstract class TextConverter implements Converter {

  abstract String apply(String text);

  @Override
  public final Future<String> convert(String prompt) {
    try {
      return Future.succeededFuture(apply(prompt == null ? "" : prompt));
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("cannot convert: " + e.getMessage(), e));
    }
  }

  /**
   * The random source of a seeded converter. It depends on the input as well as the seed so that
   * one prompt always converts the same way, whatever was converted before it.
   */
  static Random random(long seed, String input) {
    long h = 0xcbf29ce484222325L; // FNV-1a over UTF-8: stable across JVMs, unlike identity hashes
    for (byte b : input.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return new Random(mix(h + seed * 0x9E3779B97F4A7C15L));
  }

  /** SplitMix64's finalizer, so nearby seeds give unrelated streams. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Each code point as a string, so that emoji and other surrogate pairs stay whole. */
  static String[] codePoints(String text) {
    return text.codePoints().mapToObj(Character::toString).toArray(String[]::new);
  }

  static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
