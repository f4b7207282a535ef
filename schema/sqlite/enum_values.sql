-- Rows of the app_enums lookup: every code the reference contracts' enum
-- mappings and calculated fields can produce. Re-running is harmless:
-- existing codes are left as they are.

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (600, 'product_line', 'CC', NULL),
  (601, 'product_line', 'RCLI', NULL),
  (602, 'product_line', 'RL', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (1, 'app_source_cc', 'INTERNET', NULL),
  (2, 'app_source_cc', 'MAILED-IN', NULL),
  (3, 'app_source_cc', 'TELEPHONE', NULL),
  (4, 'app_source_cc', 'U', NULL),
  (5, 'app_source_cc', 'CK-API', NULL),
  (6, 'app_source_cc', 'EX-API', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (10, 'app_source_rl', 'APPONE', NULL),
  (11, 'app_source_rl', 'DEALERTRACK', NULL),
  (12, 'app_source_rl', 'FAXED-IN', NULL),
  (13, 'app_source_rl', 'S', NULL),
  (14, 'app_source_rl', 'DEALER DIRECT', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (20, 'app_type_cc', 'ALL', NULL),
  (21, 'app_type_cc', 'CBC', NULL),
  (22, 'app_type_cc', 'FPP', NULL),
  (23, 'app_type_cc', 'GEICO', NULL),
  (24, 'app_type_cc', 'GPA', NULL),
  (25, 'app_type_cc', 'GREST', NULL),
  (26, 'app_type_cc', 'HCOSC', NULL),
  (27, 'app_type_cc', 'HT1', NULL),
  (28, 'app_type_cc', 'PCP', NULL),
  (29, 'app_type_cc', 'PCT', NULL),
  (30, 'app_type_cc', 'PRODB', NULL),
  (31, 'app_type_cc', 'REST', NULL),
  (32, 'app_type_cc', 'SECURE', NULL),
  (33, 'app_type_cc', 'DIGITAL', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (38, 'app_type_rl', 'HT', NULL),
  (39, 'app_type_rl', 'MARINE', NULL),
  (40, 'app_type_rl', 'MC', NULL),
  (41, 'app_type_rl', 'OR', NULL),
  (42, 'app_type_rl', 'RV', NULL),
  (43, 'app_type_rl', 'UT', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (45, 'sub_type_rl', 'ATV', NULL),
  (46, 'sub_type_rl', 'PWC', NULL),
  (47, 'sub_type_rl', 'SNOWMOBILE', NULL),
  (48, 'sub_type_rl', 'UTV', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (50, 'decision_type_cc', 'APPROVED', NULL),
  (51, 'decision_type_cc', 'DECLINED', NULL),
  (52, 'decision_type_cc', 'DECLINED-NC', NULL),
  (53, 'decision_type_cc', 'FAILED-DEBIT', NULL),
  (54, 'decision_type_cc', 'FAILED-GIACT', NULL),
  (55, 'decision_type_cc', 'NOCHK', NULL),
  (56, 'decision_type_cc', 'NO DECISION', NULL),
  (57, 'decision_type_cc', 'PENDING-DEPOSIT', NULL),
  (58, 'decision_type_cc', 'APPROVED-PENDING-DEPOSIT', NULL),
  (59, 'decision_type_cc', 'PENDING NOVA', NULL),
  (60, 'decision_type_cc', 'WITHDRAWN', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (65, 'decision_type_rl', 'APPROVED', NULL),
  (66, 'decision_type_rl', 'DECLINED', NULL),
  (67, 'decision_type_rl', 'WITHDRAWN', NULL),
  (68, 'decision_type_rl', 'NO DECISION', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (70, 'bank_account_type', 'CHECKING', NULL),
  (71, 'bank_account_type', 'SAVINGS', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (80, 'priority_cc', 'Alloy Error', NULL),
  (81, 'priority_cc', 'Offline Step-Up', NULL),
  (82, 'priority_cc', 'Step-Up Received', NULL),
  (83, 'priority_cc', 'TU Doc R', NULL),
  (84, 'priority_cc', 'TU Doc P', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (90, 'process_cc', '00025', NULL),
  (92, 'process_cc', '00050', NULL),
  (94, 'process_cc', '00095', NULL),
  (95, 'process_cc', '00098', NULL),
  (96, 'process_cc', '00100', NULL),
  (98, 'process_cc', '00500', NULL),
  (100, 'process_cc', '01000', NULL),
  (102, 'process_cc', '02000', NULL),
  (104, 'process_cc', '03000', NULL),
  (106, 'process_cc', '03010', NULL),
  (107, 'process_cc', '03100', NULL),
  (108, 'process_cc', '06000', NULL),
  (110, 'process_cc', '07000', NULL),
  (112, 'process_cc', '07500', NULL),
  (114, 'process_cc', '08000', NULL),
  (116, 'process_cc', '09000', NULL),
  (118, 'process_cc', '10900', NULL),
  (120, 'process_cc', '11000', NULL),
  (121, 'process_cc', '12000', NULL),
  (122, 'process_cc', '13000', NULL),
  (123, 'process_cc', '15000', NULL),
  (124, 'process_cc', '20000', NULL),
  (126, 'process_cc', '30000', NULL),
  (128, 'process_cc', '40000', NULL),
  (129, 'process_cc', '99000', NULL),
  (130, 'process_cc', '99500', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (140, 'funding_source_sc', 'ACH', NULL),
  (131, 'funding_source_sc', 'Check', NULL),
  (132, 'funding_source_sc', 'Debit', NULL),
  (133, 'funding_source_sc', 'Mail CC/MO', NULL),
  (134, 'funding_source_sc', 'Money Gram ', NULL),
  (135, 'funding_source_sc', 'Money Order', NULL),
  (136, 'funding_source_sc', 'Online Bill Pay', NULL),
  (137, 'funding_source_sc', 'Undetermined', NULL),
  (138, 'funding_source_sc', 'Western Union', NULL),
  (139, 'funding_source_sc', 'Wire Transfer', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (150, 'ssn_match_cc', 'CLOSE', NULL),
  (151, 'ssn_match_cc', 'NO', NULL),
  (152, 'ssn_match_cc', 'YES', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (160, 'status_cc', 'A', NULL),
  (161, 'status_cc', 'B', NULL),
  (162, 'status_cc', 'C', NULL),
  (163, 'status_cc', 'D', NULL),
  (164, 'status_cc', 'F', NULL),
  (165, 'status_cc', 'P', NULL),
  (166, 'status_cc', 'Q', NULL),
  (167, 'status_cc', 'W', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (180, 'verification_source_cc', 'CAL', NULL),
  (181, 'verification_source_cc', 'CF', NULL),
  (182, 'verification_source_cc', 'CM', NULL),
  (183, 'verification_source_cc', 'CTC', NULL),
  (184, 'verification_source_cc', 'EXPERIAN', NULL),
  (185, 'verification_source_cc', 'FDR', NULL),
  (186, 'verification_source_cc', 'FDW', NULL),
  (187, 'verification_source_cc', 'EX PRECISE ID KIQ', NULL),
  (188, 'verification_source_cc', 'LEXISNEXIS', NULL),
  (189, 'verification_source_cc', 'LNI', NULL),
  (190, 'verification_source_cc', 'LNQ', NULL),
  (191, 'verification_source_cc', 'MAC', NULL),
  (192, 'verification_source_cc', 'ORG', NULL),
  (193, 'verification_source_cc', 'PCR', NULL),
  (194, 'verification_source_cc', 'PID', NULL),
  (195, 'verification_source_cc', 'PWS', NULL),
  (196, 'verification_source_cc', 'SOL', NULL),
  (197, 'verification_source_cc', 'TU-TLO', NULL),
  (198, 'verification_source_cc', 'TRANSUNION', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (210, 'decision_model_cc', 'CLASSIC 08', NULL),
  (211, 'decision_model_cc', 'EX FICO 08', NULL),
  (212, 'decision_model_cc', 'EX FICO 10T', NULL),
  (213, 'decision_model_cc', 'EX VANTAGE4', NULL),
  (214, 'decision_model_cc', 'TU FICO 09', NULL),
  (215, 'decision_model_cc', 'TU FICO 10T', NULL),
  (216, 'decision_model_cc', 'TU VANTAGE', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (229, 'population_assignment_cc', 'MISSING', 'MISSING'),
  (230, 'population_assignment_cc', '02', '02'),
  (231, 'population_assignment_cc', '1', '1'),
  (232, 'population_assignment_cc', '2', '2'),
  (233, 'population_assignment_cc', '3', '3'),
  (234, 'population_assignment_cc', 'BL', 'BL'),
  (235, 'population_assignment_cc', 'CM', 'EX FICO 08'),
  (236, 'population_assignment_cc', 'CONTROL', 'CONTROL'),
  (237, 'population_assignment_cc', 'DN', 'TU FICO 09'),
  (238, 'population_assignment_cc', 'EV', 'EX EVS'),
  (239, 'population_assignment_cc', 'HD', 'TU FICO 09'),
  (240, 'population_assignment_cc', 'HE', 'EX FICO 08'),
  (241, 'population_assignment_cc', 'HOLDOUT', 'HOLDOUT'),
  (242, 'population_assignment_cc', 'HU', 'TU FICO 10T'),
  (243, 'population_assignment_cc', 'HV', 'TU VANTAGE'),
  (244, 'population_assignment_cc', 'HW', 'EX VANTAGE'),
  (245, 'population_assignment_cc', 'JB', 'PRECISION'),
  (246, 'population_assignment_cc', 'JH', 'JH'),
  (247, 'population_assignment_cc', 'L2', 'TU L2C'),
  (248, 'population_assignment_cc', 'LB', 'TU VANTAGE'),
  (249, 'population_assignment_cc', 'LP', 'LP'),
  (250, 'population_assignment_cc', 'SB', 'TU FICO 10T'),
  (251, 'population_assignment_cc', 'SO', 'TU FICO 10T'),
  (252, 'population_assignment_cc', 'T', 'T'),
  (253, 'population_assignment_cc', 'VIP', 'VIP')
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (280, 'contact_type', 'AUTHORIZED USER', NULL),
  (281, 'contact_type', 'PRIMARY', NULL),
  (282, 'contact_type', 'SECONDARY', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (290, 'fraud_type_cc', 'SUSPECTED', NULL),
  (291, 'fraud_type_cc', 'VERIFIED', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (320, 'address_type', 'CURRENT', NULL),
  (321, 'address_type', 'PREVIOUS', NULL),
  (322, 'address_type', 'PATRIOT', NULL),
  (323, 'address_type', 'COLLATERAL', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (330, 'ownership_type', 'OWN WITH MORTGAGE', NULL),
  (331, 'ownership_type', 'OWN NO	MORTGAGE', NULL),
  (332, 'ownership_type', 'RENT', NULL),
  (333, 'ownership_type', 'WITH RELATIVES', NULL),
  (334, 'ownership_type', 'OTHER', NULL),
  (324, 'ownership_type', 'W', NULL),
  (335, 'ownership_type', 'X', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (350, 'employment_type', 'CURRENT', NULL),
  (351, 'employment_type', 'PREVIOUS', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (360, 'income_type', 'ALLOWANCE', NULL),
  (361, 'income_type', 'EMPLOYMENT', NULL),
  (362, 'income_type', 'GOVAST', NULL),
  (363, 'income_type', 'INVESTMENT', NULL),
  (364, 'income_type', 'OTHER', NULL),
  (365, 'income_type', 'RENTAL PROPERTY', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (380, 'other_income_type', 'ALLOWANCE', NULL),
  (381, 'other_income_type', 'ALIMONY', NULL),
  (382, 'other_income_type', 'BONUS', NULL),
  (383, 'other_income_type', 'CHILD SUPPORT', NULL),
  (384, 'other_income_type', 'COURT PAYMENT', NULL),
  (385, 'other_income_type', 'DISABILIY', NULL),
  (386, 'other_income_type', 'EMPLOYMENT', NULL),
  (387, 'other_income_type', 'INVESTMENT', NULL),
  (388, 'other_income_type', 'INSURANCE', NULL),
  (389, 'other_income_type', 'MILITARY', NULL),
  (390, 'other_income_type', 'OTHER', NULL),
  (391, 'other_income_type', 'PENSION', NULL),
  (392, 'other_income_type', 'PUBLIC ASSISTANCE', NULL),
  (393, 'other_income_type', 'RENTAL PROPERTY', NULL),
  (394, 'other_income_type', 'SECOND JOB', NULL),
  (395, 'other_income_type', 'SOCIAL SECURITY', NULL),
  (396, 'other_income_type', 'SPOUSE', NULL),
  (397, 'other_income_type', 'TRUST FUND', NULL),
  (398, 'other_income_type', 'UNEMPLOYMENT', NULL),
  (399, 'other_income_type', 'UNKNOWN', NULL),
  (400, 'other_income_type', 'VETERANS AFFAIRS', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (410, 'collateral_type_rl', 'ALL TERRAIN VEHICLE', NULL),
  (411, 'collateral_type_rl', 'TRAILER BIN', NULL),
  (412, 'collateral_type_rl', 'BOAT', NULL),
  (413, 'collateral_type_rl', 'ENGINE', NULL),
  (414, 'collateral_type_rl', 'ENGINE REPOWER', NULL),
  (415, 'collateral_type_rl', 'HORSE TRAILER', NULL),
  (416, 'collateral_type_rl', 'MOTORCYCLE', NULL),
  (417, 'collateral_type_rl', 'OTHER TRAILER', NULL),
  (418, 'collateral_type_rl', 'PERSONAL WATERCRAFT', NULL),
  (419, 'collateral_type_rl', 'RV', NULL),
  (420, 'collateral_type_rl', 'SNOWMOBILE', NULL),
  (421, 'collateral_type_rl', 'UTILITY TRAILER', NULL),
  (422, 'collateral_type_rl', 'UTILITY VEHICLE', NULL),
  (423, 'collateral_type_rl', 'UNDETERMINED', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (610, 'decision_rl', 'APPROVED', NULL),
  (611, 'decision_rl', 'DECLINED', NULL),
  (612, 'decision_rl', 'PENDING', NULL),
  (613, 'decision_rl', 'WITHDRAWN', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (620, 'warranty_type_rl', 'Credit Disability', NULL),
  (621, 'warranty_type_rl', 'Credit Life', NULL),
  (622, 'warranty_type_rl', 'Extended Warranty', NULL),
  (623, 'warranty_type_rl', 'Gap Insurance', NULL),
  (624, 'warranty_type_rl', 'Other', NULL),
  (625, 'warranty_type_rl', 'Road Side Assistance', NULL),
  (626, 'warranty_type_rl', 'Service Contract', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (630, 'policy_exception_type_rl', 'Capacity Exception', NULL),
  (631, 'policy_exception_type_rl', 'Collateral Program Exception', NULL),
  (632, 'policy_exception_type_rl', 'Credit Exception', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (640, 'mrv_model_type_rl', 'MRV', NULL),
  (641, 'mrv_model_type_rl', 'Vantage', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (650, 'bank_account_type_rl', 'CHECKING', NULL),
  (651, 'bank_account_type_rl', 'SAVINGS', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (655, 'fund_loan_indicator_rl', 'YES', NULL),
  (656, 'fund_loan_indicator_rl', 'NO', NULL),
  (657, 'fund_loan_indicator_rl', 'PENDING', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (660, 'funding_validation_indicator_rl', 'YES', NULL),
  (661, 'funding_validation_indicator_rl', 'NO', NULL),
  (662, 'funding_validation_indicator_rl', 'DOES NOT APPLY', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (666, 'process_rl', '01800', NULL),
  (668, 'process_rl', '02800', NULL),
  (670, 'process_rl', '03800', NULL),
  (672, 'process_rl', '05800', NULL),
  (674, 'process_rl', '06800', NULL),
  (675, 'process_rl', '06850', NULL),
  (676, 'process_rl', '06900', NULL),
  (677, 'process_rl', '07800', NULL),
  (679, 'process_rl', '08800', NULL),
  (684, 'process_rl', '20800', NULL),
  (686, 'process_rl', '30800', NULL),
  (688, 'process_rl', '40800', NULL),
  (689, 'process_rl', '99800', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (690, 'status_rl', 'F', NULL),
  (691, 'status_rl', 'P', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (700, 'supervisor_review_indicator_rl', 'COMPLETED', NULL),
  (701, 'supervisor_review_indicator_rl', 'IN-REVIEW', NULL)
ON CONFLICT (enum_id) DO NOTHING;

INSERT INTO app_enums (enum_id, type, value, description) VALUES
  (706, 'audit_flag_rl', 'REVIEWED', NULL),
  (707, 'audit_flag_rl', 'PENDING', NULL)
ON CONFLICT (enum_id) DO NOTHING;
