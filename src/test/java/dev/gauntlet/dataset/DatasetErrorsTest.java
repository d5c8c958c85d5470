package dev.gauntlet.dataset;

import dev.gauntlet.Problem;
import dev.gauntlet.dataset.DatasetFormats.FieldMapping;
import dev.gauntlet.dataset.DatasetFormats.Format;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetErrorsTest {

  static Problem rejected(byte[] content, Format format, FieldMapping mapping) {
    Problem p = assertThrows(Problem.class, () -> DatasetFormats.parse(content, format, mapping));
    assertEquals(400, p.status());
    return p;
  }

  static Problem rejected(String content, Format format) {
    return rejected(content.getBytes(StandardCharsets.UTF_8), format, FieldMapping.AUTO);
  }

  static void assertMessageStarts(Problem p, String prefix) {
    assertTrue(p.getMessage().startsWith(prefix), "expected '" + prefix + "...' but was: " + p.getMessage());
  }

  @Test
  void jsonMissingClosingBracketNamesLineAndColumn() {
    Problem p = rejected("[\n  {\"value\": \"a\"},\n  {\"value\": \"b\"}\n", Format.JSON);
    assertMessageStarts(p, "line 4, column 1: ");
    assertTrue(p.getMessage().contains("end-of-input"), p.getMessage());
    assertFalse(p.getMessage().contains("Source"), "no Jackson boilerplate: " + p.getMessage());
  }

  @Test
  void jsonMissingColonNamesTheColumn() {
    assertMessageStarts(rejected("[{\"value\" \"a\"}]", Format.JSON), "line 1, column 11: ");
  }

  @Test
  void jsonObjectWithoutAValueFieldListsTheFieldsFound() {
    Problem p = rejected("[\n {\"value\": \"ok\"},\n {\"body\": \"x\", \"tags\": []}\n]", Format.JSON);
    assertMessageStarts(p, "line 3, column 2: no prompt field");
    assertTrue(p.getMessage().contains("[body, tags]"), p.getMessage());
  }

  @Test
  void jsonlBadThirdLineSaysLine3() {
    Problem p = rejected("{\"value\": \"a\"}\n{\"value\": \"b\"}\n{\"value\": oops}\n{\"value\": \"d\"}\n", Format.JSONL);
    assertMessageStarts(p, "line 3: ");
  }

  @Test
  void jsonlArrayLineIsRejected() {
    assertMessageStarts(rejected("\"ok\"\n[1, 2]\n", Format.JSONL), "line 2: ");
  }

  @Test
  void csvUnterminatedQuoteNamesTheLineItStarts() {
    Problem p = rejected("value,category\nfine,a\n\"never closed,b\nmore text\n", Format.CSV);
    assertEquals("line 3: a quoted field is never closed", p.getMessage());
  }

  @Test
  void csvMissingValueColumnListsTheColumnsFound() {
    Problem p = rejected("id,body,label\n1,hello,x\n", Format.CSV);
    assertMessageStarts(p, "line 1: no prompt column");
    assertTrue(p.getMessage().endsWith("columns found: [id, body, label]"), p.getMessage());
  }

  @Test
  void csvExplicitlyMappedColumnMustExist() {
    Problem p = rejected("prompt,label\nhello,x\n".getBytes(StandardCharsets.UTF_8), Format.CSV, new FieldMapping("prompt", "tags"));
    assertEquals("line 1: no column 'tags'; columns found: [prompt, label]", p.getMessage());
  }

  @Test
  void yamlBadIndentationNamesLineAndColumn() {
    String yaml = "dataset_name: x\nprompts:\n  - value: a\n   harm_categories: [b]\n";
    Problem p = rejected(yaml, Format.YAML);
    assertMessageStarts(p, "line 4, column ");
  }

  @Test
  void yamlPromptWithoutValueNamesItsLine() {
    Problem p = rejected("prompts:\n  - value: a\n  - text_missing: b\n", Format.YAML);
    assertMessageStarts(p, "line 3, column 5: no prompt field");
  }

  @Test
  void yamlDuplicateKeysAreRejected() {
    assertMessageStarts(rejected("prompts:\n  - value: a\n    value: b\n", Format.YAML), "line 3, column 5: ");
  }

  @Test
  void aFileWithOnlyBlankValuesHasNoPrompts() {
    assertEquals("no prompts found (2 blank values skipped)", rejected("value\n\"\"\n\" \"\n", Format.CSV).getMessage());
    assertEquals("no prompts found", rejected("\n\n   \n", Format.TXT).getMessage());
    assertEquals("no prompts found", rejected("[]", Format.JSON).getMessage());
    assertEquals("no prompts found", rejected("", Format.YAML).getMessage());
  }

  @Test
  void invalidUtf8NamesTheByteOffset() {
    byte[] bad = {'a', 'b', 'c', '\n', 'd', (byte) 0xC3, (byte) 0x28, '\n'};
    Problem p = rejected(bad, Format.TXT, FieldMapping.AUTO);
    assertTrue(p.getMessage().contains("offset 5"), p.getMessage());
    assertEquals("invalid_encoding", p.code());
  }

  @Test
  void unknownExtensionListsTheSupportedOnes() {
    Problem p = assertThrows(Problem.class, () -> Format.fromFileName("prompts.xlsx"));
    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains(".csv") && p.getMessage().contains(".yaml") && p.getMessage().contains(".jsonl"),
        p.getMessage());
    assertEquals(400, assertThrows(Problem.class, () -> Format.fromFileName("noextension")).status());
  }

  @Test
  void filesOverTwentyMegabytesAreRejected() {
    Problem p = rejected(new byte[DatasetFormats.MAX_BYTES + 1], Format.TXT, FieldMapping.AUTO);
    assertEquals("too_large", p.code());
  }

  @Test
  void moreThanTwoHundredThousandPromptsAreRejected() {
    String lines = "p\n".repeat(DatasetFormats.MAX_PROMPTS + 1);
    assertEquals("too_many_prompts", rejected(lines, Format.TXT).code());
    assertEquals(DatasetFormats.MAX_PROMPTS, DatasetFormats.parse(
        "p\n".repeat(DatasetFormats.MAX_PROMPTS).getBytes(StandardCharsets.UTF_8), Format.TXT, FieldMapping.AUTO).size());
  }
}
