-- Tables shared by every product line: the application, its contacts
-- with their addresses and employments, and key-value side tables.

CREATE TABLE IF NOT EXISTS @schema@.app_base (
  app_id                 integer       NOT NULL,
  app_source_enum        smallint      REFERENCES @schema@.app_enums (enum_id),
  app_type_enum          smallint      REFERENCES @schema@.app_enums (enum_id),
  booked_date            timestamp,
  decision_enum          smallint      REFERENCES @schema@.app_enums (enum_id),
  decision_date          timestamp,
  funding_date           timestamp,
  ip_address             varchar(39),
  product_line_enum      smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  receive_date           timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  retain_until_date      timestamp,
  sc_multran_booked_date timestamp,
  sub_type_enum          smallint      REFERENCES @schema@.app_enums (enum_id),
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_contact_base (
  con_id             integer       NOT NULL,
  app_id             integer       NOT NULL
                     REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  birth_date         date          NOT NULL,
  cell_phone         varchar(10),
  contact_type_enum  smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  email              varchar(100),
  esign_consent_flag smallint      NOT NULL DEFAULT 0,
  first_name         varchar(50)   NOT NULL,
  fraud_type_enum    smallint      REFERENCES @schema@.app_enums (enum_id),
  home_phone         varchar(10),
  last_name          varchar(50)   NOT NULL,
  middle_initial     varchar(1),
  mother_maiden_name varchar(50),
  paperless_flag     smallint      NOT NULL DEFAULT 0,
  sms_consent_flag   smallint      NOT NULL DEFAULT 0,
  ssn                varchar(9)    NOT NULL,
  ssn_last_4         varchar(4) GENERATED ALWAYS AS (right(ssn, 4)) STORED,
  suffix             varchar(10),
  PRIMARY KEY (con_id),
  UNIQUE (con_id, contact_type_enum)
);

CREATE TABLE IF NOT EXISTS @schema@.app_contact_address (
  con_id              integer       NOT NULL
                      REFERENCES @schema@.app_contact_base (con_id) ON DELETE CASCADE,
  address_line_1      varchar(100),
  address_type_enum   smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  city                varchar(50),
  months_at_address   smallint,
  ownership_type_enum smallint      REFERENCES @schema@.app_enums (enum_id),
  po_box              varchar(10),
  rural_route         varchar(10),
  state               varchar(2),
  street_name         varchar(50),
  street_number       varchar(10),
  unit                varchar(10),
  zip                 varchar(9),
  PRIMARY KEY (con_id, address_type_enum)
);

CREATE TABLE IF NOT EXISTS @schema@.app_contact_employment (
  con_id                        integer       NOT NULL
                                REFERENCES @schema@.app_contact_base (con_id) ON DELETE CASCADE,
  address_line_1                varchar(100),
  city                          varchar(50),
  business_name                 varchar(100),
  employment_type_enum          smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  income_source_nontaxable_flag smallint,
  income_type_enum              smallint      REFERENCES @schema@.app_enums (enum_id),
  job_title                     varchar(100),
  monthly_salary                numeric(12,2),
  months_at_job                 smallint,
  other_monthly_income          numeric(12,2),
  other_income_type_enum        smallint      REFERENCES @schema@.app_enums (enum_id),
  other_income_source_detail    varchar(50),
  phone                         varchar(10),
  self_employed_flag            smallint      NOT NULL DEFAULT 0,
  state                         varchar(2),
  street_name                   varchar(50),
  street_number                 varchar(10),
  unit                          varchar(10),
  zip                           varchar(9),
  PRIMARY KEY (con_id, employment_type_enum)
);

CREATE TABLE IF NOT EXISTS @schema@.app_historical_lookup (
  app_id   integer       NOT NULL REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  name     varchar(100)  NOT NULL,
  source   varchar(50),
  value    varchar(250),
  rowstamp timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  PRIMARY KEY (app_id, name)
);

CREATE TABLE IF NOT EXISTS @schema@.app_report_results_lookup (
  app_id            integer       NOT NULL
                    REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  name              varchar(100)  NOT NULL,
  value             varchar(250),
  source_report_key varchar(20),
  rowstamp          timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  PRIMARY KEY (app_id, name)
);

-- Score and indicator side tables: one row per (application, identifier).
-- The reference DDL does not define them; the columns follow the rows the
-- contracts' add_score / add_indicator mappings produce.
CREATE TABLE IF NOT EXISTS @schema@.scores (
  app_id           integer       NOT NULL
                   REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  score_identifier varchar(100)  NOT NULL,
  score            integer,
  PRIMARY KEY (app_id, score_identifier)
);

CREATE TABLE IF NOT EXISTS @schema@.indicators (
  app_id    integer       NOT NULL
            REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  indicator varchar(100)  NOT NULL,
  value     varchar(250),
  PRIMARY KEY (app_id, indicator)
);
