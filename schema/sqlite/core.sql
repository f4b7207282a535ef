-- Tables shared by every product line: the application, its contacts
-- with their addresses and employments, and key-value side tables.

CREATE TABLE IF NOT EXISTS app_base (
  app_id                 INTEGER       NOT NULL,
  app_source_enum        INTEGER       REFERENCES app_enums (enum_id),
  app_type_enum          INTEGER       REFERENCES app_enums (enum_id),
  booked_date            TEXT,
  decision_enum          INTEGER       REFERENCES app_enums (enum_id),
  decision_date          TEXT,
  funding_date           TEXT,
  ip_address             TEXT,
  product_line_enum      INTEGER       NOT NULL REFERENCES app_enums (enum_id),
  receive_date           TEXT          NOT NULL DEFAULT CURRENT_TIMESTAMP,
  retain_until_date      TEXT,
  sc_multran_booked_date TEXT,
  sub_type_enum          INTEGER       REFERENCES app_enums (enum_id),
  PRIMARY KEY (app_id)
) STRICT;

CREATE TABLE IF NOT EXISTS app_contact_base (
  con_id             INTEGER       NOT NULL,
  app_id             INTEGER       NOT NULL REFERENCES app_base (app_id) ON DELETE CASCADE,
  birth_date         TEXT          NOT NULL,
  cell_phone         TEXT,
  contact_type_enum  INTEGER       NOT NULL REFERENCES app_enums (enum_id),
  email              TEXT,
  esign_consent_flag INTEGER       NOT NULL DEFAULT 0,
  first_name         TEXT          NOT NULL,
  fraud_type_enum    INTEGER       REFERENCES app_enums (enum_id),
  home_phone         TEXT,
  last_name          TEXT          NOT NULL,
  middle_initial     TEXT,
  mother_maiden_name TEXT,
  paperless_flag     INTEGER       NOT NULL DEFAULT 0,
  sms_consent_flag   INTEGER       NOT NULL DEFAULT 0,
  ssn                TEXT          NOT NULL,
  ssn_last_4         TEXT GENERATED ALWAYS AS (substr(ssn, -4)) VIRTUAL,
  suffix             TEXT,
  PRIMARY KEY (con_id),
  UNIQUE (con_id, contact_type_enum)
) STRICT;

CREATE TABLE IF NOT EXISTS app_contact_address (
  con_id              INTEGER       NOT NULL
                      REFERENCES app_contact_base (con_id) ON DELETE CASCADE,
  address_line_1      TEXT,
  address_type_enum   INTEGER       NOT NULL REFERENCES app_enums (enum_id),
  city                TEXT,
  months_at_address   INTEGER,
  ownership_type_enum INTEGER       REFERENCES app_enums (enum_id),
  po_box              TEXT,
  rural_route         TEXT,
  state               TEXT,
  street_name         TEXT,
  street_number       TEXT,
  unit                TEXT,
  zip                 TEXT,
  PRIMARY KEY (con_id, address_type_enum)
) STRICT;

CREATE TABLE IF NOT EXISTS app_contact_employment (
  con_id                        INTEGER       NOT NULL
                                REFERENCES app_contact_base (con_id) ON DELETE CASCADE,
  address_line_1                TEXT,
  city                          TEXT,
  business_name                 TEXT,
  employment_type_enum          INTEGER       NOT NULL REFERENCES app_enums (enum_id),
  income_source_nontaxable_flag INTEGER,
  income_type_enum              INTEGER       REFERENCES app_enums (enum_id),
  job_title                     TEXT,
  monthly_salary                REAL,
  months_at_job                 INTEGER,
  other_monthly_income          REAL,
  other_income_type_enum        INTEGER       REFERENCES app_enums (enum_id),
  other_income_source_detail    TEXT,
  phone                         TEXT,
  self_employed_flag            INTEGER       NOT NULL DEFAULT 0,
  state                         TEXT,
  street_name                   TEXT,
  street_number                 TEXT,
  unit                          TEXT,
  zip                           TEXT,
  PRIMARY KEY (con_id, employment_type_enum)
) STRICT;

CREATE TABLE IF NOT EXISTS app_historical_lookup (
  app_id   INTEGER       NOT NULL REFERENCES app_base (app_id) ON DELETE CASCADE,
  name     TEXT          NOT NULL,
  source   TEXT,
  value    TEXT,
  rowstamp TEXT          NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (app_id, name)
) STRICT;

CREATE TABLE IF NOT EXISTS app_report_results_lookup (
  app_id            INTEGER       NOT NULL REFERENCES app_base (app_id) ON DELETE CASCADE,
  name              TEXT          NOT NULL,
  value             TEXT,
  source_report_key TEXT,
  rowstamp          TEXT          NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (app_id, name)
) STRICT;

-- Score and indicator side tables: one row per (application, identifier).
-- The reference DDL does not define them; the columns follow the rows the
-- contracts' add_score / add_indicator mappings produce.
CREATE TABLE IF NOT EXISTS scores (
  app_id           INTEGER       NOT NULL REFERENCES app_base (app_id) ON DELETE CASCADE,
  score_identifier TEXT          NOT NULL,
  score            INTEGER,
  PRIMARY KEY (app_id, score_identifier)
) STRICT;

CREATE TABLE IF NOT EXISTS indicators (
  app_id    INTEGER       NOT NULL REFERENCES app_base (app_id) ON DELETE CASCADE,
  indicator TEXT          NOT NULL,
  value     TEXT,
  PRIMARY KEY (app_id, indicator)
) STRICT;
