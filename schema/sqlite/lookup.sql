-- Lookup tables the application tables point to.

CREATE TABLE IF NOT EXISTS app_enums (
  enum_id     INTEGER       NOT NULL,
  type        TEXT          NOT NULL,
  value       TEXT          NOT NULL,
  description TEXT,
  PRIMARY KEY (enum_id)
) STRICT;

CREATE TABLE IF NOT EXISTS app_campaign_cc (
  campaign_num                 TEXT          NOT NULL,
  agreement_num                INTEGER,
  booking_on_flag              INTEGER       NOT NULL DEFAULT 0,
  in_home_date                 TEXT,
  internet_responses_on_flag   INTEGER       NOT NULL DEFAULT 0,
  letters_on_flag              INTEGER       NOT NULL DEFAULT 0,
  processing_complete_flag     INTEGER       NOT NULL DEFAULT 0,
  processing_expiration_date   TEXT,
  solicitation_expiration_date TEXT,
  pricing_as_of_date           TEXT,
  PRIMARY KEY (campaign_num)
) STRICT;
