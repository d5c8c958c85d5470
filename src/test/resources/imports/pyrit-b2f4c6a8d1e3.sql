-- PyRIT's SQLite memory at Alembic revision b2f4c6a8d1e3 (the first with Conversations), written for
-- Gauntlet's tests from PyRIT's public migrations as PyRIT 1.0.0's history has them, applied in order:
--   ab8f2c1a9d07 (= 3b8f2c1a9d07) the root: PyRIT 0.13.0's six tables
--   e373726d391b  ScenarioResultEntries.display_group_map_json
--   108a72344872  AttackResultEntries.labels
--   7a1b2c3d4e5f  AttackResultEntries error_message, error_type, error_traceback, retry_events_json, total_retries;
--                 ScenarioResultEntries error_attack_result_ids_json, error_message, error_type
--   9c8b7a6d5e4f  AttackResultEntries attribution_parent_id (CustomUUID), attribution_data, their index and a named
--                 foreign key ON DELETE SET NULL; ScenarioResultEntries drops error_attack_result_ids_json, gains scenario_metadata
--   f1a2b3c4d5e6  drops AttackResultEntries.attack_identifier and PromptMemoryEntries.targeted_harm_categories
--   b2f4c6a8d1e3  Conversations (conversation_id String(36) primary key, target_identifier, pyrit_version);
--                 drops PromptMemoryEntries.prompt_target_identifier and attack_identifier
-- A column added comes last; a table Alembic rebuilds in batch mode keeps its order less the column dropped.
-- Types as SQLAlchemy renders them on SQLite (CustomUUID CHAR(36), sa.Uuid CHAR(32), String/Unicode VARCHAR).
CREATE TABLE "PromptMemoryEntries" (
  id CHAR(36) NOT NULL,
  role VARCHAR NOT NULL,
  conversation_id VARCHAR NOT NULL,
  sequence INTEGER NOT NULL,
  timestamp DATETIME NOT NULL,
  labels JSON NOT NULL,
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
CREATE TABLE "ScenarioResultEntries" (
  id CHAR(36) NOT NULL,
  scenario_name VARCHAR NOT NULL,
  scenario_description VARCHAR,
  scenario_version INTEGER NOT NULL,
  pyrit_version VARCHAR NOT NULL,
  scenario_init_data JSON,
  objective_target_identifier JSON NOT NULL,
  objective_scorer_identifier JSON,
  scenario_run_state VARCHAR NOT NULL,
  attack_results_json VARCHAR NOT NULL,
  labels JSON,
  number_tries INTEGER NOT NULL,
  completion_time DATETIME NOT NULL,
  timestamp DATETIME NOT NULL,
  display_group_map_json VARCHAR,
  error_message VARCHAR,
  error_type VARCHAR,
  scenario_metadata JSON,
  PRIMARY KEY (id));
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
CREATE TABLE "EmbeddingData" (
  id CHAR(32) NOT NULL,
  embedding JSON,
  embedding_type_name VARCHAR,
  PRIMARY KEY (id),
  FOREIGN KEY(id) REFERENCES "PromptMemoryEntries" (id));
CREATE TABLE "ScoreEntries" (
  id CHAR(36) NOT NULL,
  score_value VARCHAR NOT NULL,
  score_value_description VARCHAR,
  score_type VARCHAR NOT NULL,
  score_category JSON,
  score_rationale VARCHAR,
  score_metadata JSON NOT NULL,
  scorer_class_identifier JSON NOT NULL,
  prompt_request_response_id CHAR(36),
  timestamp DATETIME NOT NULL,
  task VARCHAR,
  objective VARCHAR,
  pyrit_version VARCHAR,
  PRIMARY KEY (id),
  FOREIGN KEY(prompt_request_response_id) REFERENCES "PromptMemoryEntries" (id));
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
  labels JSON,
  error_message VARCHAR,
  error_type VARCHAR,
  error_traceback VARCHAR,
  retry_events_json VARCHAR,
  total_retries INTEGER,
  attribution_parent_id CHAR(36),
  attribution_data JSON,
  PRIMARY KEY (id),
  FOREIGN KEY(last_response_id) REFERENCES "PromptMemoryEntries" (id),
  FOREIGN KEY(last_score_id) REFERENCES "ScoreEntries" (id),
  CONSTRAINT fk_attack_results_attribution_parent FOREIGN KEY(attribution_parent_id) REFERENCES "ScenarioResultEntries" (id)
    ON DELETE SET NULL);
CREATE INDEX "ix_AttackResultEntries_attribution_parent_id" ON "AttackResultEntries" (attribution_parent_id);
CREATE TABLE "Conversations" (
  conversation_id VARCHAR(36) NOT NULL,
  target_identifier JSON,
  pyrit_version VARCHAR,
  PRIMARY KEY (conversation_id));
CREATE TABLE pyrit_memory_alembic_version (
  version_num VARCHAR(32) NOT NULL,
  CONSTRAINT pyrit_memory_alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO pyrit_memory_alembic_version (version_num) VALUES ('b2f4c6a8d1e3');
