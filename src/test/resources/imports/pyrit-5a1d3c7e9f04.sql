-- PyRIT's SQLite memory as it stands after Alembic revision 5a1d3c7e9f04 (2026-08-20, the migration
-- that makes ScoreEntries.score_value nullable), for the tables Gauntlet reads, written for Gauntlet's
-- tests from PyRIT's public migrations. PARTIAL, on purpose: the import reads by column, and this is
-- the shape it must read. It is not a full layout of that revision: tables Gauntlet does not read
-- (the identifier tables of e5f7a9c1b3d2 and later, EmbeddingData, ScenarioResultEntries) are left
-- out, and so are the *_identifier_hash columns e5f7a9c1b3d2 adds (see docs/pyrit-layouts.md).
-- Columns, from the root 3b8f2c1a9d07 on:
--   b2f4c6a8d1e3  Conversations (conversation_id VARCHAR(36)); pieces lose prompt_target_identifier, attack_identifier
--   a1c3e5d7f9b0  Conversations.retries
--   f1a2b3c4d5e6  pieces lose targeted_harm_categories
--   c3d5e7f9a1b2  AttackResultEntries.targeted_harm_categories
--   7a1b2c3d4e5f  AttackResultEntries error_message, error_type, error_traceback, retry_events_json, total_retries
--   9c8b7a6d5e4f  AttackResultEntries attribution_parent_id, attribution_data
--   108a72344872  AttackResultEntries.labels
--   f1a2b3c4d5e6  drops AttackResultEntries.attack_identifier
--   24b44ef076b6  drops PromptMemoryEntries.labels and ScoreEntries.task
--   5a1d3c7e9f04  ScorableContentEntries; ScoreEntries status NOT NULL, scorable, scorable_content_id; score_value nullable
CREATE TABLE "PromptMemoryEntries" (
  id CHAR(36) NOT NULL,
  role VARCHAR NOT NULL,
  conversation_id VARCHAR NOT NULL,
  sequence INTEGER NOT NULL,
  timestamp DATETIME NOT NULL,
  prompt_metadata JSON NOT NULL,
  converter_identifiers JSON,
  response_error VARCHAR,
  original_value_data_type VARCHAR NOT NULL,
  original_value VARCHAR NOT NULL,
  original_value_sha256 VARCHAR,
  converted_value_data_type VARCHAR NOT NULL,
  converted_value VARCHAR,
  converted_value_sha256 VARCHAR,
  original_prompt_id CHAR(36) NOT NULL,
  pyrit_version VARCHAR,
  PRIMARY KEY (id));
CREATE TABLE "Conversations" (
  conversation_id VARCHAR(36) NOT NULL,
  target_identifier JSON,
  pyrit_version VARCHAR,
  retries JSON,
  PRIMARY KEY (conversation_id));
CREATE TABLE "SeedPromptEntries" (
  id CHAR(36) NOT NULL,
  value VARCHAR NOT NULL,
  value_sha256 VARCHAR,
  data_type VARCHAR NOT NULL,
  name VARCHAR,
  dataset_name VARCHAR,
  harm_categories JSON,
  description VARCHAR,
  authors JSON,
  groups JSON,
  source VARCHAR,
  date_added DATETIME NOT NULL,
  added_by VARCHAR NOT NULL,
  prompt_metadata JSON,
  parameters JSON,
  prompt_group_id CHAR(36),
  sequence INTEGER,
  role VARCHAR,
  seed_type VARCHAR NOT NULL,
  PRIMARY KEY (id));
CREATE TABLE "ScorableContentEntries" (
  id CHAR(36) NOT NULL,
  value VARCHAR NOT NULL,
  data_type VARCHAR(32) NOT NULL,
  timestamp DATETIME NOT NULL,
  PRIMARY KEY (id));
CREATE TABLE "ScoreEntries" (
  id CHAR(36) NOT NULL,
  score_value VARCHAR,
  score_value_description VARCHAR,
  score_type VARCHAR NOT NULL,
  score_category JSON,
  score_rationale VARCHAR,
  score_metadata JSON NOT NULL,
  scorer_class_identifier JSON NOT NULL,
  prompt_request_response_id CHAR(36),
  timestamp DATETIME NOT NULL,
  objective VARCHAR,
  pyrit_version VARCHAR,
  status VARCHAR(16) NOT NULL,
  scorable JSON,
  scorable_content_id CHAR(36),
  PRIMARY KEY (id),
  FOREIGN KEY(prompt_request_response_id) REFERENCES "PromptMemoryEntries" (id),
  CONSTRAINT fk_score_entries_scorable_content_id FOREIGN KEY(scorable_content_id) REFERENCES "ScorableContentEntries" (id));
CREATE TABLE "AttackResultEntries" (
  id CHAR(36) NOT NULL,
  conversation_id VARCHAR NOT NULL,
  objective VARCHAR NOT NULL,
  atomic_attack_identifier JSON,
  objective_sha256 VARCHAR,
  last_response_id CHAR(36),
  last_score_id CHAR(36),
  executed_turns INTEGER NOT NULL,
  execution_time_ms INTEGER NOT NULL,
  outcome VARCHAR NOT NULL,
  outcome_reason VARCHAR,
  attack_metadata JSON,
  pruned_conversation_ids JSON,
  adversarial_chat_conversation_ids JSON,
  timestamp DATETIME NOT NULL,
  pyrit_version VARCHAR,
  error_message VARCHAR,
  error_type VARCHAR,
  error_traceback VARCHAR,
  retry_events_json VARCHAR,
  total_retries INTEGER,
  attribution_parent_id CHAR(36),
  attribution_data JSON,
  targeted_harm_categories JSON,
  labels JSON,
  PRIMARY KEY (id),
  FOREIGN KEY(last_response_id) REFERENCES "PromptMemoryEntries" (id),
  FOREIGN KEY(last_score_id) REFERENCES "ScoreEntries" (id));
CREATE TABLE pyrit_memory_alembic_version (
  version_num VARCHAR(32) NOT NULL,
  CONSTRAINT pyrit_memory_alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO pyrit_memory_alembic_version (version_num) VALUES ('5a1d3c7e9f04');
