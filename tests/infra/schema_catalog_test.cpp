#define BOOST_TEST_MODULE schema_catalog
#include "infra/schema_catalog.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

#include "tests/infra/infra_test_support.hpp"

namespace xmlshred::infra {
namespace {

// Rows of schema/*/enum_values.sql, the app_enums lookup.
constexpr const char* seeded_enum_rows = "260";

using contract_list = std::vector<std::shared_ptr<const domain::contract>>;

contract_list both_contracts() {
  return {test::shipped_contract("credit_card"),
          test::shipped_contract("rec_lending")};
}

schema_plan plan_for(backend dialect, const contract_list& contracts) {
  auto plan = build_schema_plan(dialect, contracts);
  BOOST_REQUIRE_MESSAGE(plan.ok(), test::failure_of(plan));
  return plan.value();
}

// Position of the statement creating `table`, or the plan's size.
std::size_t position_of(const schema_plan& plan, const std::string& table) {
  for (std::size_t i = 0; i < plan.statements.size(); ++i) {
    const auto& sql = plan.statements[i];
    if (sql.find("CREATE TABLE IF NOT EXISTS " + table + " ") !=
            std::string::npos ||
        sql.find("CREATE TABLE IF NOT EXISTS \"" + table + "\"") !=
            std::string::npos) {
      return i;
    }
  }
  return plan.statements.size();
}

std::set<std::string> created_tables(test::raw_sqlite& db) {
  std::set<std::string> tables;
  for (const auto& row :
       db.query("SELECT name FROM sqlite_master WHERE type = 'table'")) {
    tables.insert(*row[0]);
  }
  return tables;
}

void run_plan(test::raw_sqlite& db, const schema_plan& plan) {
  for (const auto& sql : plan.statements) {
    BOOST_REQUIRE_MESSAGE(db.exec(sql) == SQLITE_OK, sql);
  }
}

std::shared_ptr<domain::contract> custom_contract() {
  auto c = std::make_shared<domain::contract>();
  c->name = "custom";
  c->target_schema = "migration";
  c->table_insertion_order = {"my_base", "my_kv"};
  auto add = [&](std::string table, std::string column, domain::data_type t,
                 std::vector<std::string> types = {}) {
    domain::mapping_spec m;
    m.target_table = std::move(table);
    m.target_column = std::move(column);
    m.type = t;
    m.mapping_types = std::move(types);
    c->mappings.push_back(std::move(m));
  };
  add("my_base", "my_id", domain::data_type::int_type, {"identity_insert"});
  add("my_base", "label", domain::data_type::string_type);
  add("my_base", "amount", domain::data_type::decimal_type);
  add("my_kv", "", domain::data_type::string_type, {"add_history"});
  c->mappings[1].data_length = 12;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_catalog_suite)

BOOST_AUTO_TEST_CASE(key_column_is_the_identity_mapping_of_the_first_table) {
  BOOST_TEST(contract_key_column(*test::shipped_contract("credit_card")) ==
             "app_id");
  BOOST_TEST(contract_key_column(*custom_contract()) == "my_id");
}

BOOST_AUTO_TEST_CASE(tables_written_leave_out_xmlshred_own_tables) {
  const auto tables = tables_written_by(both_contracts());
  BOOST_TEST(tables.front() == "app_base");
  BOOST_TEST((std::count(tables.begin(), tables.end(), "processing_log") ==
              0));
  BOOST_TEST((std::count(tables.begin(), tables.end(), "app_base") == 1));
}

BOOST_AUTO_TEST_CASE(plan_creates_parents_before_children) {
  const auto plan =
      plan_for(backend::sqlite, {test::shipped_contract("credit_card")});
  BOOST_TEST(position_of(plan, "app_enums") < position_of(plan, "app_base"));
  BOOST_TEST(position_of(plan, "app_base") <
             position_of(plan, "app_contact_base"));
  BOOST_TEST(position_of(plan, "app_contact_base") <
             position_of(plan, "app_contact_address"));
  BOOST_TEST(position_of(plan, "app_pricing_cc") <
             position_of(plan, "processing_log"));
}

BOOST_AUTO_TEST_CASE(plan_for_one_product_line_leaves_the_other_out) {
  const auto plan =
      plan_for(backend::sqlite, {test::shipped_contract("credit_card")});
  BOOST_TEST(position_of(plan, "app_campaign_cc") < plan.statements.size());
  BOOST_TEST(position_of(plan, "app_pricing_rl") == plan.statements.size());
}

BOOST_AUTO_TEST_CASE(shipped_sqlite_ddl_creates_every_table_of_both_contracts) {
  test::temp_dir dir;
  test::raw_sqlite db(dir.file("target.db"));
  const auto contracts = both_contracts();
  run_plan(db, plan_for(backend::sqlite, contracts));

  const auto tables = created_tables(db);
  for (const auto& table : tables_written_by(contracts)) {
    BOOST_TEST(tables.count(table) == 1u, table);
  }
  BOOST_TEST(tables.count("processing_log") == 1u);
  BOOST_TEST(tables.count("runs") == 1u);
  BOOST_TEST(db.scalar("SELECT COUNT(*) FROM app_enums") == seeded_enum_rows);
}

BOOST_AUTO_TEST_CASE(contracts_loaded_by_the_domain_get_their_tables) {
  contract_list loaded;
  for (const auto* stem : {"credit_card", "rec_lending"}) {
    auto result = domain::load_contract_file(std::string(XMLSHRED_SOURCE_DIR) +
                                             "/examples/contracts/" + stem +
                                             ".json");
    BOOST_REQUIRE_MESSAGE(result.loaded, stem);
    BOOST_TEST(contract_key_column(*result.loaded) ==
               result.loaded->key_column());
    loaded.push_back(
        std::make_shared<const domain::contract>(std::move(*result.loaded)));
  }
  test::temp_dir dir;
  test::raw_sqlite db(dir.file("target.db"));
  run_plan(db, plan_for(backend::sqlite, loaded));
  const auto tables = created_tables(db);
  for (const auto& table : tables_written_by(loaded)) {
    BOOST_TEST(tables.count(table) == 1u, table);
  }
}

BOOST_AUTO_TEST_CASE(running_the_plan_twice_changes_nothing) {
  test::temp_dir dir;
  test::raw_sqlite db(dir.file("target.db"));
  const auto plan = plan_for(backend::sqlite, both_contracts());
  run_plan(db, plan);
  run_plan(db, plan);
  BOOST_TEST(db.scalar("SELECT COUNT(*) FROM app_enums") == seeded_enum_rows);
}

BOOST_AUTO_TEST_CASE(processing_log_is_keyed_by_the_contract_key_column) {
  test::temp_dir dir;
  test::raw_sqlite db(dir.file("target.db"));
  run_plan(db, plan_for(backend::sqlite, {custom_contract()}));
  BOOST_TEST(db.scalar("SELECT name FROM pragma_table_info('processing_log')"
                       " WHERE pk = 1") == "my_id");
}

BOOST_AUTO_TEST_CASE(unshipped_table_is_generated_from_mapped_column_types) {
  test::temp_dir dir;
  test::raw_sqlite db(dir.file("target.db"));
  const auto plan = plan_for(backend::sqlite, {custom_contract()});
  run_plan(db, plan);
  auto columns = db.query(
      "SELECT name, type FROM pragma_table_info('my_base') ORDER BY cid");
  BOOST_REQUIRE(columns.size() == 3u);
  BOOST_TEST(*columns[0][1] == "INTEGER");
  BOOST_TEST(*columns[1][1] == "TEXT");
  BOOST_TEST(*columns[2][1] == "REAL");
}

BOOST_AUTO_TEST_CASE(table_without_named_columns_is_skipped_with_a_warning) {
  const auto plan = plan_for(backend::sqlite, {custom_contract()});
  BOOST_REQUIRE(plan.warnings.size() == 1u);
  BOOST_TEST(plan.warnings[0].find("my_kv") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(postgresql_plan_puts_tables_in_the_target_schema) {
  const auto plan = plan_for(backend::postgresql, both_contracts());
  BOOST_TEST(plan.statements.front() ==
             "CREATE SCHEMA IF NOT EXISTS \"migration\"");
  BOOST_TEST(position_of(plan, "\"migration\".app_base") <
             plan.statements.size());
  for (const auto& sql : plan.statements) {
    BOOST_TEST(sql.find('@') == std::string::npos, sql.substr(0, 60));
  }
}

BOOST_AUTO_TEST_CASE(postgresql_generated_string_column_keeps_its_length) {
  const auto plan = plan_for(backend::postgresql, {custom_contract()});
  const auto& sql = plan.statements.at(position_of(plan, "\"migration\".\"my_base\""));
  BOOST_TEST(sql.find("\"label\" varchar(12)") != std::string::npos, sql);
}

BOOST_AUTO_TEST_CASE(contracts_with_different_key_columns_are_refused) {
  auto other = std::make_shared<domain::contract>(*custom_contract());
  auto plan = build_schema_plan(backend::sqlite,
                                {test::shipped_contract("credit_card"), other});
  BOOST_REQUIRE(!plan.ok());
  BOOST_TEST((plan.error().kind == db_error_kind::fatal));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
