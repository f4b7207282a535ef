-- Lookup tables the application tables point to.
-- Tables live in the schema named by the contracts' target_schema;
-- @schema@ is replaced with it (quoted) when the schema is created.

CREATE TABLE IF NOT EXISTS @schema@.app_enums (
  enum_id     smallint      NOT NULL,
  type        varchar(50)   NOT NULL,
  value       varchar(100)  NOT NULL,
  description varchar(200),
  PRIMARY KEY (enum_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_campaign_cc (
  campaign_num                 varchar(6)    NOT NULL,
  agreement_num                integer,
  booking_on_flag              smallint      NOT NULL DEFAULT 0,
  in_home_date                 date,
  internet_responses_on_flag   smallint      NOT NULL DEFAULT 0,
  letters_on_flag              smallint      NOT NULL DEFAULT 0,
  processing_complete_flag     smallint      NOT NULL DEFAULT 0,
  processing_expiration_date   date,
  solicitation_expiration_date date,
  pricing_as_of_date           date,
  PRIMARY KEY (campaign_num)
);
