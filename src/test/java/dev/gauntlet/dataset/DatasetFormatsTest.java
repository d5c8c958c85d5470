package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import dev.gauntlet.dataset.DatasetFormats.FieldMapping;
import dev.gauntlet.dataset.DatasetFormats.Format;
import dev.gauntlet.dataset.DatasetFormats.Parsed;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetFormatsTest {

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<SeedPrompt> parse(String content, Format format) {
    return DatasetFormats.parse(utf8(content), format, FieldMapping.AUTO);
  }

  @Test
  void csvWithQuotesEmbeddedCommasNewlinesUnicodeAndBomParses() {
    String csv = "\uFEFFid,Prompt,harm_categories\r\n"
        + "1,\"Say \"\"hello\"\", then stop\",violence;hate\r\n"
        + "2,\"first line\nsecond line, with comma\",cyber | fraud\r\n"
        + "3,Ünïcödé prompt — 日本語 🚀,\r\n";
    List<SeedPrompt> prompts = parse(csv, Format.CSV);
    assertEquals(3, prompts.size());
    assertEquals("Say \"hello\", then stop", prompts.get(0).value());
    assertEquals(List.of("violence", "hate"), prompts.get(0).harmCategories());
    assertEquals("first line\nsecond line, with comma", prompts.get(1).value());
    assertEquals(List.of("cyber", "fraud"), prompts.get(1).harmCategories());
    assertEquals("Ünïcödé prompt — 日本語 🚀", prompts.get(2).value());
    assertEquals(List.of(), prompts.get(2).harmCategories());
    assertEquals("1", prompts.get(0).metadata().getString("id"), "other columns are kept as metadata");
  }

  @Test
  void aReadTellsAMappingFormWhichFieldsItSawAndWhichItChose() {
    Parsed csv = DatasetFormats.read(utf8("id,Prompt,harm_categories,notes\n1,hi,a,x\n"), Format.CSV, FieldMapping.AUTO);
    assertEquals(List.of("id", "Prompt", "harm_categories", "notes"), csv.fields());
    assertEquals("Prompt", csv.valueField());
    assertEquals("harm_categories", csv.categoryField());
    Parsed jsonl = DatasetFormats.read(utf8("{\"attack\": \"a\", \"tags\": \"t\"}\n{\"attack\": \"b\", \"extra\": 1}\n"),
        Format.JSONL, new FieldMapping("attack", "tags"));
    assertEquals(List.of("attack", "tags", "extra"), jsonl.fields());
    assertEquals("attack", jsonl.valueField());
    assertEquals("tags", jsonl.categoryField());
    Parsed txt = DatasetFormats.read(utf8("one\ntwo\n"), Format.TXT, FieldMapping.AUTO);
    assertEquals(List.of(), txt.fields());
    assertEquals(null, txt.valueField());
  }

  @Test
  void tsvParsesWithTabsInsideQuotedFields() {
    String tsv = "category\tquestion\nmisinformation,health\tIs the moon made of cheese?\nbenign\t\"tab\tinside\"\n";
    List<SeedPrompt> prompts = parse(tsv, Format.TSV);
    assertEquals(2, prompts.size());
    assertEquals("Is the moon made of cheese?", prompts.get(0).value());
    assertEquals(List.of("misinformation", "health"), prompts.get(0).harmCategories());
    assertEquals("tab\tinside", prompts.get(1).value());
  }

  @Test
  void explicitFieldMappingPicksNamedColumnsOverConventionalOnes() {
    String csv = "value,attack_text,labels\nignored,the real prompt,a|b\n";
    List<SeedPrompt> prompts = DatasetFormats.parse(utf8(csv), Format.CSV, new FieldMapping("Attack_Text", "labels"));
    assertEquals("the real prompt", prompts.get(0).value());
    assertEquals(List.of("a", "b"), prompts.get(0).harmCategories());
    assertEquals("ignored", prompts.get(0).metadata().getString("value"));
  }

  @Test
  void autoDetectFindsGoalAndCategoryCaseInsensitively() {
    String csv = "GOAL,Category\nWrite a poem,benign\n";
    SeedPrompt p = parse(csv, Format.CSV).get(0);
    assertEquals("Write a poem", p.value());
    assertEquals(List.of("benign"), p.harmCategories());
  }

  @Test
  void jsonArrayOfObjectsTakesCategoriesAsArrayOrString() {
    String json = """
        [
          {"prompt": "Ça va? «quoted»", "harm_categories": ["a", " b ", ""]},
          {"prompt": "second", "category": "x; y,z|x", "source": {"site": "s"}}
        ]""";
    List<SeedPrompt> prompts = parse(json, Format.JSON);
    assertEquals("Ça va? «quoted»", prompts.get(0).value());
    assertEquals(List.of("a", "b"), prompts.get(0).harmCategories());
    assertEquals(List.of("x", "y", "z"), prompts.get(1).harmCategories(), "split, trimmed and de-duplicated");
    assertEquals("s", prompts.get(1).metadata().getJsonObject("source").getString("site"));
  }

  @Test
  void jsonArrayOfStringsParses() {
    assertEquals(List.of("one", "two"), parse("[\"one\", \"two\"]", Format.JSON).stream().map(SeedPrompt::value).toList());
  }

  @Test
  void jsonObjectWithPromptsIsReadLikePyrit() {
    String json = """
        {"dataset_name": "mine", "description": "d", "harm_categories": ["default"],
         "prompts": [{"value": "inherits"}, {"value": "own", "harm_categories": "special"}, "bare"]}""";
    Parsed parsed = DatasetFormats.read(utf8(json), Format.JSON, FieldMapping.AUTO);
    assertEquals("mine", parsed.name());
    assertEquals("d", parsed.description());
    assertEquals(List.of("default"), parsed.prompts().get(0).harmCategories());
    assertEquals(List.of("special"), parsed.prompts().get(1).harmCategories());
    assertEquals(List.of("default"), parsed.prompts().get(2).harmCategories());
  }

  @Test
  void jsonlReadsObjectsAndStringsSkippingBlankLines() {
    String jsonl = "{\"text\": \"first\", \"categories\": [\"c1\"]}\r\n\n   \n\"second\"\n{\"text\": \"日本\"}\n";
    List<SeedPrompt> prompts = parse(jsonl, Format.JSONL);
    assertEquals(List.of("first", "second", "日本"), prompts.stream().map(SeedPrompt::value).toList());
    assertEquals(List.of("c1"), prompts.get(0).harmCategories());
  }

  @Test
  void txtIsOnePromptPerNonBlankLine() {
    List<SeedPrompt> prompts = parse("\uFEFFfirst prompt\r\n\r\n  \nsecond, with \"quotes\"\r\nlast", Format.TXT);
    assertEquals(List.of("first prompt", "second, with \"quotes\"", "last"), prompts.stream().map(SeedPrompt::value).toList());
  }

  @Test
  void pyritYamlPromptsInheritTopLevelHarmCategories() {
    String yaml = """
        dataset_name: sample
        description: A PyRIT-style dataset
        harm_categories: [illegal, violence]
        authors: [someone]
        source: https://example.com
        data_type: text
        prompts:
          - value: Inherits the top-level categories
          - value: "Has its own: categories"
            harm_categories: [cyber]
            data_type: text
          - value: |
              Multi-line
              prompt ✓
        """;
    Parsed parsed = DatasetFormats.read(utf8(yaml), Format.YAML, FieldMapping.AUTO);
    assertEquals("sample", parsed.name());
    assertEquals("A PyRIT-style dataset", parsed.description());
    List<SeedPrompt> prompts = parsed.prompts();
    assertEquals(List.of("illegal", "violence"), prompts.get(0).harmCategories());
    assertEquals(List.of("cyber"), prompts.get(1).harmCategories());
    assertEquals("Has its own: categories", prompts.get(1).value());
    assertEquals("Multi-line\nprompt ✓\n", prompts.get(2).value());
    assertEquals("https://example.com", prompts.get(0).metadata().getString("source"));
  }

  @Test
  void yamlCannotBuildArbitraryJavaTypes() {
    String yaml = "prompts:\n  - value: !!java.io.File [\"/etc/passwd\"]\n";
    Problem problem = assertThrows(Problem.class, () -> parse(yaml, Format.YAML));
    assertEquals(400, problem.status());
    assertTrue(problem.getMessage().startsWith("line 2, column 12"), problem.getMessage());
  }

  @Test
  void blankValuesAreSkippedAndCounted() {
    Parsed parsed = DatasetFormats.read(utf8("value\nreal\n\"   \"\n\"\"\nalso real\n"), Format.CSV, FieldMapping.AUTO);
    assertEquals(2, parsed.prompts().size());
    assertEquals(2, parsed.skippedBlank());
  }

  @Test
  void formatComesFromTheFileExtension() {
    assertEquals(Format.CSV, Format.fromFileName("Prompts.CSV"));
    assertEquals(Format.YAML, Format.fromFileName("seed.prompts.yml"));
    assertEquals(Format.JSONL, Format.fromFileName("x.ndjson"));
    assertEquals(Format.TSV, Format.fromName("tsv"));
  }

  @Test
  void seedPromptJsonMatchesTheStoredDatasetShape() {
    SeedPrompt p = SeedPrompt.of("hi", "a", "b");
    assertEquals("{\"value\":\"hi\",\"harm_categories\":[\"a\",\"b\"]}", p.toJson().encode());
    assertFalse(p.toJson().containsKey("metadata"));
    assertEquals(p, SeedPrompt.fromJson(p.toJson()));
  }
}
