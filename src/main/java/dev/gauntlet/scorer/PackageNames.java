package dev.gauntlet.scorer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The shipped lists of real package names (resources under {@code packages/}, each opening with a
 * {@code #} line that gives its source and date), loaded once, on first use, into a sorted array
 * searched by halves: about a tenth of the memory of a hash set of strings.
 */
final class PackageNames {

  /** A sorted, duplicate-free list of names with the header line it was read with. */
  record NameList(String header, String[] names) {

    boolean contains(String name) {
      return Arrays.binarySearch(names, name) >= 0;
    }

    int size() {
      return names.length;
    }
  }

  private PackageNames() {
  }

  private static final class Pypi {
    static final NameList LIST = load("packages/pypi.txt.gz", PackageNames::pypiKey);
  }

  private static final class Npm {
    static final NameList LIST = load("packages/npm.txt.gz", s -> s.toLowerCase(Locale.ROOT));
  }

  private static final class PythonStdlib {
    static final NameList LIST = load("packages/python-stdlib.txt", s -> s);
  }

  private static final class NodeBuiltins {
    static final NameList LIST = load("packages/node-builtins.txt", s -> s);
  }

  static NameList pypi() {
    return Pypi.LIST;
  }

  static NameList npm() {
    return Npm.LIST;
  }

  static NameList pythonStdlib() {
    return PythonStdlib.LIST;
  }

  static NameList nodeBuiltins() {
    return NodeBuiltins.LIST;
  }

  /** A PyPI name as PEP 503 compares them: lower case, runs of '-', '_' and '.' one '-'. */
  static String pypiKey(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  private static NameList load(String resource, java.util.function.UnaryOperator<String> key) {
    try (InputStream raw = PackageNames.class.getClassLoader().getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the build");
      }
      InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = null;
      List<String> names = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#")) {
          header = header == null ? line.substring(1).strip() : header;
        } else if (!line.isBlank()) {
          names.add(key.apply(line.strip()));
        }
      }
      String[] sorted = names.stream().sorted().distinct().toArray(String[]::new);
      return new NameList(header, sorted);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
