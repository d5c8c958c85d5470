-- PyRIT 1.0's SQLite memory layout (Alembic revision e373726d391b), written for Gauntlet's tests
-- from the column definitions of PyRIT's pyrit/memory/memory_models.py: names, SQLite types as
-- SQLAlchemy declares them (CustomUUID is CHAR(36) on SQLite, JSON is JSON, Unicode is VARCHAR),
-- and nullability. Statements are separated by ';' at the end of a line.
CREATE TABLE "PromptMemoryEntries" (
  id CHAR(36) NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL, sequence INTEGER NOT NULL,
  timestamp DATETIME NOT NULL, labels JSON, prompt_metadata JSON, targeted_harm_categories JSON,
  converter_identifiers JSON, prompt_target_identifier JSON, attack_identifier JSON, response_error VARCHAR,
  original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
  converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
  original_prompt_id CHAR(36) NOT NULL, pyrit_version VARCHAR, PRIMARY KEY (id));
CREATE INDEX idx_conversation_id ON "PromptMemoryEntries" (conversation_id);
CREATE TABLE "EmbeddingData" (id CHAR(32) NOT NULL, embedding JSON, embedding_type_name VARCHAR, PRIMARY KEY (id),
  FOREIGN KEY(id) REFERENCES "PromptMemoryEntries" (id));
CREATE TABLE "ScoreEntries" (
  id CHAR(36) NOT NULL, score_value VARCHAR NOT NULL, score_value_description VARCHAR, score_type VARCHAR NOT NULL,
  score_category JSON, score_rationale VARCHAR, score_metadata JSON, scorer_class_identifier JSON,
  prompt_request_response_id CHAR(36), timestamp DATETIME NOT NULL, task VARCHAR, objective VARCHAR, pyrit_version VARCHAR,
  PRIMARY KEY (id), FOREIGN KEY(prompt_request_response_id) REFERENCES "PromptMemoryEntries" (id));
CREATE TABLE "SeedPromptEntries" (
  id CHAR(36) NOT NULL, value VARCHAR NOT NULL, value_sha256 VARCHAR, data_type VARCHAR NOT NULL, name VARCHAR,
  dataset_name VARCHAR, harm_categories JSON, description VARCHAR, authors JSON, groups JSON, source VARCHAR,
  date_added DATETIME NOT NULL, added_by VARCHAR NOT NULL, prompt_metadata JSON, parameters JSON, prompt_group_id CHAR(36),
  sequence INTEGER, role VARCHAR, seed_type VARCHAR NOT NULL, PRIMARY KEY (id));
CREATE TABLE "AttackResultEntries" (
  id CHAR(36) NOT NULL, conversation_id VARCHAR NOT NULL, objective VARCHAR NOT NULL, attack_identifier JSON NOT NULL,
  objective_sha256 VARCHAR, last_response_id CHAR(36), last_score_id CHAR(36), executed_turns INTEGER NOT NULL,
  execution_time_ms INTEGER NOT NULL, outcome VARCHAR NOT NULL, outcome_reason VARCHAR, attack_metadata JSON,
  pruned_conversation_ids JSON, adversarial_chat_conversation_ids JSON, timestamp DATETIME NOT NULL, pyrit_version VARCHAR,
  PRIMARY KEY (id), FOREIGN KEY(last_response_id) REFERENCES "PromptMemoryEntries" (id),
  FOREIGN KEY(last_score_id) REFERENCES "ScoreEntries" (id));
CREATE TABLE "ScenarioResultEntries" (
  id CHAR(36) NOT NULL, scenario_name VARCHAR NOT NULL, scenario_description VARCHAR, scenario_version INTEGER NOT NULL,
  pyrit_version VARCHAR NOT NULL, scenario_init_data JSON, objective_target_identifier JSON NOT NULL,
  objective_scorer_identifier JSON, scenario_run_state VARCHAR NOT NULL, attack_results_json VARCHAR NOT NULL, labels JSON,
  number_tries INTEGER NOT NULL, completion_time DATETIME NOT NULL, timestamp DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE pyrit_memory_alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT pyrit_memory_alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO pyrit_memory_alembic_version (version_num) VALUES ('e373726d391b');
