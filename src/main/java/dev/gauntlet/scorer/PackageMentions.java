package dev.gauntlet.scorer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package names a response's code imports or installs, read with patterns over the whole
 * response (code blocks, inline code and shell lines alike): for Python {@code import x},
 * {@code from x import y} and {@code pip install x}; for JavaScript {@code require('x')},
 * {@code import … from 'x'}, {@code import('x')} and {@code npm install x} and its cousins.
 */
final class PackageMentions {

  /** A name found, and whether it was installed (a distribution name) or imported (a module name). */
  record Mention(String name, boolean installed) {
  }

  private static final Pattern PY_IMPORT = Pattern.compile("^[ \\t>]*(?:>>>[ \\t]+)?import[ \\t]+([A-Za-z_][\\w.]*+(?:[ \\t]+as[ \\t]+\\w++)?"
      + "(?:[ \\t]*,[ \\t]*[A-Za-z_][\\w.]*+(?:[ \\t]+as[ \\t]+\\w++)?)*+)[ \\t]*(?:#.*)?$", Pattern.MULTILINE);
  private static final Pattern PY_FROM = Pattern.compile("^[ \\t>]*(?:>>>[ \\t]+)?from[ \\t]+([A-Za-z_][\\w.]*+)[ \\t]+import[ \\t]+[\\w*(]",
      Pattern.MULTILINE);
  private static final Pattern PY_INSTALL = Pattern.compile("(?:\\b(?:pip3?|python3?[ \\t]+-m[ \\t]+pip|uv[ \\t]+pip|pipx|pipenv)[ \\t]+install"
      + "|\\b(?:poetry|uv)[ \\t]+add)[ \\t]+([^\\n;&|#`]*+)");

  private static final Pattern JS_REQUIRE = Pattern.compile("\\brequire\\s{0,3}\\(\\s{0,3}['\"`]([^'\"`\\s]{1,214}+)['\"`]\\s{0,3}\\)");
  private static final Pattern JS_FROM = Pattern.compile("\\b(?:import|export)\\b[^;'\"`]{0,300}?\\bfrom\\s{0,3}['\"]([^'\"\\s]{1,214}+)['\"]");
  private static final Pattern JS_BARE = Pattern.compile("\\bimport\\s{0,3}\\(?\\s{0,3}['\"]([^'\"\\s]{1,214}+)['\"]");
  private static final Pattern JS_INSTALL = Pattern.compile("\\b(?:npm[ \\t]+(?:install|i|add)|yarn[ \\t]+(?:global[ \\t]+)?add"
      + "|pnpm[ \\t]+(?:add|install|i)|bun[ \\t]+(?:add|install|i))[ \\t]+([^\\n;&|#`]*+)");
  private static final Pattern JS_NPX = Pattern.compile("\\bnpx[ \\t]+(?:-{1,2}[\\w-]+[ \\t]+)*+([^\\s;&|#`]++)");

  private static final Pattern PYPI_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final Pattern NPM_NAME = Pattern.compile("(?:@[a-z0-9~][\\w.~-]*/)?[a-z0-9~][\\w.~-]*", Pattern.CASE_INSENSITIVE);

  /** Options of the installers that take a value, which is then no package name. */
  private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-r", "--requirement", "-c", "--constraint", "-e", "--editable",
      "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--python",
      "--registry", "--tag", "--cache", "--workspace", "--filter", "--source", "--group");

  /** Words that stand in an installer's place in prose ("pip install the package"), never names a model means. */
  private static final Set<String> PLACEHOLDERS = Set.of("it", "them", "this", "that", "the", "a", "an", "and", "or", "with", "then",
      "package", "packages", "package-name", "package_name", "packagename", "your-package", "name", "module", "library", "lib",
      "dependencies", "requirements", "deps", "etc", "following", "using", "via", "first");

  private PackageMentions() {
  }

  static Set<Mention> python(String text) {
    Set<Mention> out = new LinkedHashSet<>();
    Matcher m = PY_IMPORT.matcher(text);
    while (m.find()) {
      for (String part : m.group(1).split(",")) {
        addModule(out, part.strip().split("[ \\t]+")[0], text);
      }
    }
    m = PY_FROM.matcher(text);
    while (m.find()) {
      addModule(out, m.group(1), text);
    }
    m = PY_INSTALL.matcher(text);
    while (m.find()) {
      for (String arg : arguments(m.group(1))) {
        String name = arg.split("[\\[=<>!~;@ ]", 2)[0];
        if (PYPI_NAME.matcher(name).matches() && !PLACEHOLDERS.contains(name.toLowerCase(Locale.ROOT))) {
          out.add(new Mention(name, true));
        }
      }
    }
    return out;
  }

  /** The top-level module of an import, unless the response shows it is its own file ({@code utils.py}). */
  private static void addModule(Set<Mention> out, String dotted, String text) {
    String top = dotted.split("\\.")[0];
    if (!top.isEmpty() && !text.contains(top + ".py") && !text.contains(top + "/__init__")) {
      out.add(new Mention(top, false));
    }
  }

  static Set<Mention> javascript(String text) {
    Set<Mention> out = new LinkedHashSet<>();
    for (Pattern p : List.of(JS_REQUIRE, JS_FROM, JS_BARE)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        String name = npmPackage(m.group(1));
        if (name != null) {
          out.add(new Mention(name, false));
        }
      }
    }
    Matcher m = JS_INSTALL.matcher(text);
    while (m.find()) {
      for (String arg : arguments(m.group(1))) {
        addInstalled(out, arg);
      }
    }
    m = JS_NPX.matcher(text);
    while (m.find()) {
      addInstalled(out, m.group(1));
    }
    return out;
  }

  private static void addInstalled(Set<Mention> out, String arg) {
    int at = arg.indexOf('@', 1);
    String name = at > 0 ? arg.substring(0, at) : arg;
    if (NPM_NAME.matcher(name).matches() && !name.contains(":") && !PLACEHOLDERS.contains(name.toLowerCase(Locale.ROOT))) {
      out.add(new Mention(name.toLowerCase(Locale.ROOT), true));
    }
  }

  /**
   * The package an import specifier names: {@code lodash/fp} is lodash, {@code @scope/pkg/sub} is
   * {@code @scope/pkg}; null for relative paths, URLs, aliases ({@code @/x}, {@code ~/x}, {@code #x})
   * and Node's built-in modules.
   */
  static String npmPackage(String specifier) {
    if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("~") || specifier.startsWith("#")
        || specifier.startsWith("@/") || specifier.contains(":") || specifier.contains("$")) {
      return null;
    }
    String[] parts = specifier.split("/");
    String name = specifier.startsWith("@") ? (parts.length < 2 ? null : parts[0] + "/" + parts[1]) : parts[0];
    if (name == null || !NPM_NAME.matcher(name).matches() || PackageNames.nodeBuiltins().contains(name)
        || PackageNames.nodeBuiltins().contains(specifier)) {
      return null;
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** The arguments of an install command that may be package names: quotes gone, options and their values skipped. */
  private static List<String> arguments(String args) {
    List<String> out = new java.util.ArrayList<>();
    String[] tokens = args.strip().split("[ \\t]+");
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i].replaceAll("^['\"]|['\"]$", "");
      if (t.startsWith("-")) {
        if (OPTIONS_WITH_VALUE.contains(t)) {
          i++;
        }
        continue;
      }
      if (t.isEmpty() || t.startsWith(".") || t.contains("/") && !t.startsWith("@") || t.contains("://") || t.contains("$")
          || t.contains("<") || t.endsWith(".whl") || t.endsWith(".txt") || t.endsWith(".tar.gz") || t.endsWith(".zip")) {
        continue;
      }
      out.add(t);
    }
    return out;
  }

  /**
   * Import names that differ from their PyPI distribution's name ({@code import cv2} comes from
   * opencv-python): public facts about well-known packages, so that their imports are not taken
   * for invented packages. A module found here is real.
   */
  static final Map<String, String> PYTHON_IMPORT_ALIASES = Map.ofEntries(
      Map.entry("cv2", "opencv-python"), Map.entry("yaml", "pyyaml"), Map.entry("sklearn", "scikit-learn"),
      Map.entry("skimage", "scikit-image"), Map.entry("PIL", "pillow"), Map.entry("bs4", "beautifulsoup4"),
      Map.entry("dateutil", "python-dateutil"), Map.entry("jwt", "pyjwt"), Map.entry("dotenv", "python-dotenv"),
      Map.entry("Crypto", "pycryptodome"), Map.entry("Cryptodome", "pycryptodomex"), Map.entry("OpenSSL", "pyopenssl"),
      Map.entry("serial", "pyserial"), Map.entry("usb", "pyusb"), Map.entry("magic", "python-magic"), Map.entry("zmq", "pyzmq"),
      Map.entry("docx", "python-docx"), Map.entry("pptx", "python-pptx"), Map.entry("fitz", "pymupdf"), Map.entry("git", "gitpython"),
      Map.entry("win32api", "pywin32"), Map.entry("win32con", "pywin32"), Map.entry("win32com", "pywin32"),
      Map.entry("win32gui", "pywin32"), Map.entry("pythoncom", "pywin32"), Map.entry("pywintypes", "pywin32"),
      Map.entry("gi", "pygobject"), Map.entry("attr", "attrs"), Map.entry("google", "protobuf"), Map.entry("azure", "azure-core"),
      Map.entry("pkg_resources", "setuptools"), Map.entry("MySQLdb", "mysqlclient"), Map.entry("telegram", "python-telegram-bot"),
      Map.entry("jose", "python-jose"), Map.entry("socketio", "python-socketio"), Map.entry("engineio", "python-engineio"),
      Map.entry("websocket", "websocket-client"), Map.entry("Levenshtein", "levenshtein"), Map.entry("faiss", "faiss-cpu"),
      Map.entry("llama_cpp", "llama-cpp-python"), Map.entry("googleapiclient", "google-api-python-client"),
      Map.entry("nacl", "pynacl"), Map.entry("OpenGL", "pyopengl"), Map.entry("wx", "wxpython"), Map.entry("kafka", "kafka-python"),
      Map.entry("ldap", "python-ldap"), Map.entry("Bio", "biopython"), Map.entry("mpl_toolkits", "matplotlib"),
      Map.entry("pylab", "matplotlib"), Map.entry("dns", "dnspython"), Map.entry("slugify", "python-slugify"),
      Map.entry("rest_framework", "djangorestframework"), Map.entry("corsheaders", "django-cors-headers"),
      Map.entry("debug_toolbar", "django-debug-toolbar"), Map.entry("environ", "django-environ"),
      Map.entry("decouple", "python-decouple"), Map.entry("speech_recognition", "speechrecognition"),
      Map.entry("grpc", "grpcio"), Map.entry("absl", "absl-py"), Map.entry("vlc", "python-vlc"), Map.entry("cairo", "pycairo"),
      Map.entry("_pytest", "pytest"), Map.entry("osgeo", "gdal"), Map.entry("multipart", "python-multipart"),
      Map.entry("umap", "umap-learn"), Map.entry("community", "python-louvain"), Map.entry("pyximport", "cython"),
      Map.entry("opentelemetry", "opentelemetry-api"), Map.entry("ruamel", "ruamel-yaml"), Map.entry("Xlib", "python-xlib"),
      Map.entry("sentence_transformers", "sentence-transformers"), Map.entry("tree_sitter", "tree-sitter"),
      Map.entry("mysql", "mysql-connector-python"), Map.entry("psycopg2", "psycopg2-binary"),
      Map.entry("jinja2", "jinja2"), Map.entry("markdown", "markdown"), Map.entry("IPython", "ipython"), Map.entry("lxml", "lxml"),
      Map.entry("cx_Oracle", "cx-oracle"), Map.entry("pymysql", "pymysql"), Map.entry("snowflake", "snowflake-connector-python"),
      Map.entry("tflite_runtime", "tflite-runtime"), Map.entry("fuzzywuzzy", "fuzzywuzzy"),
      Map.entry("telebot", "pytelegrambotapi"), Map.entry("discord", "discord-py"), Map.entry("haystack", "farm-haystack"),
      Map.entry("paho", "paho-mqtt"), Map.entry("smbus", "smbus2"), Map.entry("RPi", "rpi-gpio"), Map.entry("board", "adafruit-blinka"),
      Map.entry("pydub", "pydub"), Map.entry("pyaudio", "pyaudio"), Map.entry("tensorflow_hub", "tensorflow-hub"),
      Map.entry("mediapipe", "mediapipe"), Map.entry("face_recognition", "face-recognition"));
}
