-- Recreational-lending tables (suffix _rl), children of app_base.

CREATE TABLE IF NOT EXISTS @schema@.app_operational_rl (
  app_id                             integer       NOT NULL
                                     REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  assigned_credit_analyst            varchar(80),
  assigned_funding_analyst           varchar(80),
  cb_score_factor_code_pr_1          varchar(10),
  cb_score_factor_code_pr_2          varchar(10),
  cb_score_factor_code_pr_3          varchar(10),
  cb_score_factor_code_pr_4          varchar(10),
  cb_score_factor_code_pr_5          varchar(10),
  cb_score_factor_type_pr_1          varchar(25),
  cb_score_factor_type_pr_2          varchar(25),
  cb_score_factor_type_pr_3          varchar(25),
  cb_score_factor_type_pr_4          varchar(25),
  cb_score_factor_type_pr_5          varchar(25),
  cb_score_factor_code_sec_1         varchar(10),
  cb_score_factor_code_sec_2         varchar(10),
  cb_score_factor_code_sec_3         varchar(10),
  cb_score_factor_code_sec_4         varchar(10),
  cb_score_factor_code_sec_5         varchar(10),
  cb_score_factor_type_sec_1         varchar(25),
  cb_score_factor_type_sec_2         varchar(25),
  cb_score_factor_type_sec_3         varchar(25),
  cb_score_factor_type_sec_4         varchar(25),
  cb_score_factor_type_sec_5         varchar(25),
  joint_app_flag                     smallint      NOT NULL DEFAULT 0,
  last_bureau_pulled_type            varchar(5),
  last_updated_by                    varchar(80),
  last_updated_date                  timestamp,
  housing_monthly_payment_pr         integer,
  housing_monthly_payment_sec        integer,
  mrv_lead_indicator_pr_enum         smallint      REFERENCES @schema@.app_enums (enum_id),
  mrv_lead_indicator_sec_enum        smallint      REFERENCES @schema@.app_enums (enum_id),
  priority_enum                      smallint      REFERENCES @schema@.app_enums (enum_id),
  process_enum                       smallint      REFERENCES @schema@.app_enums (enum_id),
  regb_end_date                      timestamp,
  regb_start_date                    timestamp     DEFAULT (now() AT TIME ZONE 'utc'),
  risk_model_score_factor_code_pr_1  varchar(10),
  risk_model_score_factor_code_pr_2  varchar(10),
  risk_model_score_factor_code_pr_3  varchar(10),
  risk_model_score_factor_code_pr_4  varchar(10),
  risk_model_score_factor_type_pr_1  varchar(25),
  risk_model_score_factor_type_pr_2  varchar(25),
  risk_model_score_factor_type_pr_3  varchar(25),
  risk_model_score_factor_type_pr_4  varchar(25),
  risk_model_score_factor_code_sec_1 varchar(10),
  risk_model_score_factor_code_sec_2 varchar(10),
  risk_model_score_factor_code_sec_3 varchar(10),
  risk_model_score_factor_code_sec_4 varchar(10),
  risk_model_score_factor_type_sec_1 varchar(25),
  risk_model_score_factor_type_sec_2 varchar(25),
  risk_model_score_factor_type_sec_3 varchar(25),
  risk_model_score_factor_type_sec_4 varchar(25),
  status_enum                        smallint      REFERENCES @schema@.app_enums (enum_id),
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_pricing_rl (
  app_id                      integer       NOT NULL
                              REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  add_total_to_financed_flag  smallint,
  cash_down_payment_amount    numeric(12,2),
  debt_to_income_ratio        numeric(12,2),
  invoice_amount              numeric(12,2),
  loan_amount                 numeric(12,2),
  loan_term_months            smallint,
  manual_adj_dti_ratio        numeric(12,2),
  manual_adj_monthly_debt     numeric(12,2),
  manual_adj_monthly_income   numeric(12,2),
  military_apr                numeric(5,2),
  monthly_debt                numeric(12,2),
  monthly_income              numeric(12,2),
  mrv_grade_pr                varchar(1),
  mrv_grade_sec               varchar(1),
  regular_payment_amount      numeric(12,2),
  selling_price               numeric(12,2),
  tradein_allowance           numeric(12,2),
  tradein_down_payment_amount numeric(12,2),
  tradein_payoff_amount       numeric(12,2),
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_transactional_rl (
  app_id                           integer       NOT NULL
                                   REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  appone_transmission_id           bigint,
  audit_type_enum                  smallint      REFERENCES @schema@.app_enums (enum_id),
  client_app_id                    varchar(50),
  dealertrack_dealer_id            integer,
  duplicate_app_flag               smallint      DEFAULT 0,
  error_message                    varchar(255),
  assess_florida_doc_fee_flag      smallint,
  assess_tennessee_doc_fee_flag    smallint,
  fund_loan_indicator_enum         smallint      REFERENCES @schema@.app_enums (enum_id),
  locked_by_user                   varchar(80),
  pending_verification_flag        smallint      DEFAULT 0,
  supervisor_review_indicator_enum smallint      REFERENCES @schema@.app_enums (enum_id),
  suppress_ach_funding_flag        smallint      NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_dealer_rl (
  app_id                 integer       NOT NULL
                         REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  active_flag            smallint      NOT NULL DEFAULT 0,
  broker_flag            smallint      NOT NULL DEFAULT 1,
  bank_account_num       varchar(20),
  bank_account_type_enum smallint      REFERENCES @schema@.app_enums (enum_id),
  bank_routing_num       varchar(9),
  bank_phone             varchar(10),
  bank_name              varchar(50),
  dealer_address_line_1  varchar(100),
  dealer_city            varchar(50),
  dealer_email           varchar(100),
  dealer_fax             varchar(10),
  dealer_name            varchar(100)  NOT NULL,
  dealer_num_child       integer,
  dealer_num_parent      integer       NOT NULL,
  dealer_phone           varchar(10),
  dealer_state           varchar(2),
  dealer_zip             varchar(9),
  fsp_email              varchar(100),
  fsp_fax                varchar(10),
  fsp_name               varchar(100),
  fsp_num                integer,
  fsp_phone              varchar(10),
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_collateral_rl (
  app_id               integer       NOT NULL
                       REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  collateral_type_enum smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  length               smallint,
  make                 varchar(50)   NOT NULL,
  mileage              integer,
  model                varchar(50),
  motor_size           smallint,
  used_flag            smallint      NOT NULL DEFAULT 0,
  option_1_description varchar(100),
  option_1_value       numeric(12,2),
  option_2_description varchar(100),
  option_2_value       numeric(12,2),
  sort_order           smallint      NOT NULL DEFAULT 0,
  vin                  varchar(60),
  wholesale_value      numeric(12,2),
  year                 smallint      NOT NULL,
  PRIMARY KEY (app_id, collateral_type_enum, sort_order)
);

CREATE TABLE IF NOT EXISTS @schema@.app_warranties_rl (
  app_id                  integer       NOT NULL
                          REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  amount                  numeric(12,2) NOT NULL DEFAULT 0,
  company_name            varchar(50)   NOT NULL,
  merrick_lienholder_flag smallint      NOT NULL DEFAULT 0,
  term_months             smallint      NOT NULL DEFAULT 0,
  policy_number           varchar(30),
  warranty_type_enum      smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  PRIMARY KEY (app_id, warranty_type_enum)
);

CREATE TABLE IF NOT EXISTS @schema@.app_policy_exceptions_rl (
  app_id                     integer       NOT NULL
                             REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  notes                      varchar(1000),
  policy_exception_type_enum smallint      NOT NULL REFERENCES @schema@.app_enums (enum_id),
  reason_code                varchar(20)   NOT NULL,
  PRIMARY KEY (app_id, policy_exception_type_enum)
);

CREATE TABLE IF NOT EXISTS @schema@.app_funding_rl (
  app_id                             integer       NOT NULL
                                     REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  account_number                     integer,
  amount_financed_within_policy_flag smallint,
  boarding_date                      timestamp,
  collateral_ages_within_policy_flag smallint,
  credit_bureau_expire_date          date,
  credit_pulled_within_30_days_flag  smallint,
  creditscore_within_policy_flag     smallint,
  down_payment_within_policy_flag    smallint,
  dti_within_policy_flag             smallint,
  first_payment_not_in_7_days_flag   smallint,
  loan_amount_approved_flag          smallint,
  loan_amount_within_policy_flag     smallint,
  loanpro_loan_id                    integer,
  loanpro_customer_id_pr             integer,
  loanpro_customer_id_sec            integer,
  ltv_within_policy_flag             smallint,
  note_date_in_range_flag            smallint,
  participation_percentage           numeric(12,2),
  participation_proceeds             numeric(12,2),
  paystub_within_30days_pr_flag      smallint,
  paystub_within_30days_sec_flag     smallint,
  product_number                     varchar(10),
  subtotal                           numeric(12,2),
  term_within_policy_flag            smallint,
  total_of_payments_amount           numeric(12,2),
  validated_finance_charge           numeric(12,2),
  verification_number                varchar(10),
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_funding_contract_rl (
  app_id                             integer       NOT NULL
                                     REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  apr                                numeric(12,2),
  cash_down_payment                  numeric(12,2),
  cash_proceeds                      numeric(12,2),
  contract_state                     varchar(2),
  dealer_proceeds_amount             numeric(12,2),
  down_payment_percentage            numeric(12,2),
  document_tax_fee                   numeric(12,2),
  document_prep_fee                  numeric(12,2),
  finance_charge                     numeric(12,2),
  first_payment_date                 timestamp,
  first_payment_by_dealer            numeric(12,2),
  income_expiration_date             timestamp,
  license_fee                        numeric(12,2),
  loan_to_value_percentage           numeric(12,2),
  loan_to_value_percentage_with_fees numeric(12,2),
  monthly_payment_amount             numeric(12,2),
  net_tradein_allowance              numeric(12,2),
  note_signed_date                   timestamp,
  note_payment_amount                numeric(12,2),
  other_dealer_fee_1                 numeric(12,2),
  other_dealer_fee_2                 numeric(12,2),
  other_dealer_fee_3                 numeric(12,2),
  other_dealer_fee_4                 numeric(12,2),
  other_dealer_fee_5                 numeric(12,2),
  other_dealer_fee_6                 numeric(12,2),
  other_public_official_fee_1        numeric(12,2),
  other_public_official_fee_2        numeric(12,2),
  other_public_official_fee_3        numeric(12,2),
  payoff_mb_loan_amount              numeric(12,2),
  payoff_mb_loan_number              integer,
  registration_fee                   numeric(12,2),
  sale_price                         numeric(12,2),
  taxes                              numeric(12,2),
  title_fee                          numeric(12,2),
  titled_in_state                    varchar(2),
  total_amount_financed              numeric(12,2),
  total_dealer_proceeds              numeric(12,2),
  ucc_fee                            numeric(12,2),
  ucc_principal_refund               numeric(12,2),
  PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS @schema@.app_funding_checklist_rl (
  app_id                                   integer       NOT NULL
                                           REFERENCES @schema@.app_base (app_id) ON DELETE CASCADE,
  addendum_signed_pr_enum                  smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  addendum_signed_sec_enum                 smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  address_confirmed_flag                   smallint,
  applicant_references_checked_flag        smallint,
  apr_within_guidelines_flag               smallint,
  check_requested_by_user                  varchar(80),
  collateral_percent_used_confirmed_enum   smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  collateral_worksheet_unit_confirmed_enum smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  contract_signed_pr_flag                  smallint,
  contract_signed_sec_flag                 smallint,
  correct_contract_state_flag              smallint,
  credit_app_signed_pr_enum                smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  credit_app_signed_sec_enum               smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  down_payment_approved_flag               smallint,
  drivers_license_confirmed_pr_enum        smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  drivers_license_confirmed_sec_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  drivers_license_dob_confirmed_pr_enum    smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  drivers_license_dob_confirmed_sec_enum   smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  guarantee_of_lien_enum                   smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  initials_presented_flag                  smallint,
  insurance_deductible_within_policy_enum  smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  insurance_mb_lienholder_enum             smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  insurance_motor_vin_confirm_enum         smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  insurance_rv_boat_vin_confirm_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  insurance_trailer_vin_confirm_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  itemization_confirmed_flag               smallint,
  motor_title_mb_lienholder_enum           smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  motor_title_vin_confirmed_enum           smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  motor_ucc_mb_lienholder_enum             smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  motor_ucc_vin_confirmed_enum             smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  new_motor_1_invoice_confirmed_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  new_motor_2_invoice_confirmed_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  new_rv_boat_invoice_confirmed_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  new_trailer_invoice_confirmed_enum       smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  payment_schedule_confirmed_flag          smallint,
  payoff_mb_loan_verified_enum             smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  paystub_expire_date_pr                   timestamp,
  paystub_expire_date_sec                  timestamp,
  rv_boat_title_mb_lienholder_enum         smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  rv_boat_title_vin_confirmed_enum         smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  rv_boat_ucc_mb_lienholder_enum           smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  rv_boat_ucc_vin_confirmed_enum           smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  unit_confirmed_flag                      smallint,
  trailer_title_mb_lienholder_enum         smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  trailer_title_vin_confirmed_enum         smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  trailer_ucc_mb_lienholder_enum           smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  trailer_ucc_vin_confirmed_enum           smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  ucc_filed_by_mb_enum                     smallint
                                           REFERENCES @schema@.app_enums (enum_id),
  verified_against_program_flag            smallint,
  PRIMARY KEY (app_id)
);
