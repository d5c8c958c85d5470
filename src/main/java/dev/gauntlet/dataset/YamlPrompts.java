package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyRIT's SeedPromptDataset YAML: dataset_name, description, harm_categories, authors, source
 * and a list of prompts. Dataset-level harm categories, authors, source, groups and data type
 * apply to prompts that do not set their own. Only plain YAML types are built, never classes.
 */
final class YamlPrompts {

  /** Dataset-level fields PyRIT hands down to each prompt, kept as prompt metadata. */
  private static final List<String> INHERITED = List.of("data_type", "authors", "source", "groups");

  private YamlPrompts() {
  }

  /** A safe constructor that remembers where each mapping started, so errors can name a line. */
  private static final class MarkingConstructor extends SafeConstructor {
    final Map<Object, Mark> marks = new IdentityHashMap<>();

    MarkingConstructor(LoaderOptions options) {
      super(options);
    }

    @Override
    protected Object constructObject(Node node) {
      Object built = super.constructObject(node);
      if (node instanceof MappingNode && built != null) {
        marks.putIfAbsent(built, node.getStartMark());
      }
      return built;
    }
  }

  /** A loaded YAML document and where each of its mappings starts, for errors that name a line. */
  record Loaded(Object document, Map<Object, Mark> marks) {
    /** "line 4, column 3" for a mapping read from the document, else the fallback. */
    String where(Object element, String fallback) {
      Mark mark = element == null ? null : marks.get(element);
      return mark == null ? fallback : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }
  }

  /** Plain YAML types only (never classes), duplicate keys refused, syntax errors naming the line. */
  static Loaded load(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(DatasetFormats.MAX_BYTES);
    options.setAllowDuplicateKeys(false);
    MarkingConstructor constructor = new MarkingConstructor(options);
    DumperOptions dumper = new DumperOptions();
    Yaml yaml = new Yaml(constructor, new Representer(dumper), dumper, options, new Resolver());
    try {
      return new Loaded(yaml.load(text), constructor.marks);
    } catch (MarkedYAMLException e) {
      throw problem(e);
    } catch (YAMLException e) {
      throw Problem.badRequest("invalid_dataset", "invalid YAML: " + e.getMessage());
    }
  }

  static void read(String text, PromptCollector out) {
    Loaded loaded = load(text);
    Object document = loaded.document();
    if (document == null) {
      return;
    }
    if (document instanceof List<?> prompts) {
      addAll(prompts, loaded, out, List.of(), Map.of());
      return;
    }
    if (!(document instanceof Map<?, ?> top)) {
      throw Problem.badRequest("invalid_dataset", "expected a mapping with 'prompts' (PyRIT's seed-prompt layout) or a list of prompts");
    }
    Object prompts = top.get("prompts");
    if (!(prompts instanceof List<?> list)) {
      throw Problem.badRequest("invalid_dataset", prompts == null
          ? "the YAML has no 'prompts' list; keys found: " + top.keySet()
          : "'prompts' must be a list");
    }
    out.describe(top.get("dataset_name") != null ? top.get("dataset_name") : top.get("name"), top.get("description"));
    List<String> defaults = PromptCollector.categories(top.get("harm_categories"), "harm_categories");
    Map<String, Object> inherited = new LinkedHashMap<>();
    for (String key : INHERITED) {
      if (top.get(key) != null) {
        inherited.put(key, top.get(key));
      }
    }
    addAll(list, loaded, out, defaults, inherited);
  }

  private static void addAll(List<?> prompts, Loaded loaded, PromptCollector out,
                             List<String> defaults, Map<String, Object> inherited) {
    for (int i = 0; i < prompts.size(); i++) {
      Object element = prompts.get(i);
      out.addElement(element, loaded.where(element, "prompts[" + i + "]"), defaults, inherited);
    }
  }

  private static Problem problem(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    if (e.getContext() != null && e.getProblem() != null) {
      problem = e.getContext() + ", " + e.getProblem();
    }
    String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    return Problem.badRequest("invalid_dataset", where + problem);
  }
}
