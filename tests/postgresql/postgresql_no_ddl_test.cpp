#define BOOST_TEST_MODULE postgresql_no_ddl
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "tests/app/cli_fixture.hpp"
#include "tests/postgresql/postgresql_server.hpp"

// `xmlshred run --no-ddl` and `xmlshred schema`: a DBA creates the schema
// from the printed script, the run connects as a role that may only read
// the source and insert into the targets.

namespace xmlshred::testing {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_usage = 2;
constexpr const char* password = "role-pw-31";

struct no_ddl_fixture : cli_fixture {
  postgresql_server server;
  scratch_database database{server};
  std::string admin = server.admin_url(database.name());
  std::string role = unique_name("xmlshred_app");
  std::string as_role = server.tcp_url(role, password, database.name());

  no_ddl_fixture() {
    server.execute(database.name(), "CREATE ROLE " + role +
                                        " LOGIN PASSWORD '" + password + "'");
    BOOST_REQUIRE(run({"import", samples(), "--source", admin, "--contract",
                       contract()}) == exit_some_failed);
  }

  ~no_ddl_fixture() {
    try {
      server.execute(database.name(), "DROP OWNED BY " + role);
      server.execute("postgres", "DROP ROLE IF EXISTS " + role);
    } catch (const std::exception&) {
      // Deliberately ignored: the server is thrown away after the suites.
    }
  }

  /// What `xmlshred schema` prints for the shipped contract and the role.
  std::string schema_script(const std::string& dialect) {
    std::vector<std::string> args{"schema", "--dialect", dialect,
                                  "--contract", contract()};
    if (dialect == "postgresql") {
      args.insert(args.end(), {"--role", role});
    }
    std::string script;
    BOOST_REQUIRE_EQUAL(run_capturing(args, script), exit_ok);
    return script;
  }

  /// Runs the printed script as superuser: the DBA's step.
  void prepare_target() {
    server.execute(database.name(), schema_script("postgresql"));
  }

  int run_without_ddl() {
    return run({"run", "--no-ddl", "--source", as_role, "--target", as_role,
                "--contract", contract(), "--events", path("events.jsonl")});
  }

  long long count(const std::string& sql) {
    return server.query_number(database.name(), sql);
  }

  bool logged(const std::string& text) const {
    return last_log().find(text) != std::string::npos;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(postgresql_no_ddl, no_ddl_fixture)

BOOST_AUTO_TEST_CASE(an_insert_only_role_runs_on_the_printed_schema) {
  prepare_target();
  const int code = run_without_ddl();
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());
  BOOST_TEST(count("SELECT count(*) FROM migration.processing_log") ==
             count("SELECT count(*) FROM app_xml_staging"));
  BOOST_TEST(count("SELECT count(*) FROM migration.app_base") > 0);
  // The role really could not have created anything.
  BOOST_TEST(count("SELECT count(*) FROM pg_namespace WHERE nspname = "
                   "'migration' AND has_schema_privilege('" + role +
                   "', oid, 'CREATE')") == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_grant_is_listed_with_its_fix_and_exits_2) {
  prepare_target();
  server.execute(database.name(), "REVOKE INSERT ON migration.app_pricing_cc "
                                  "FROM " + role +
                                  "; REVOKE SELECT ON app_xml_staging FROM " +
                                  role);
  BOOST_TEST(run_without_ddl() == exit_usage);
  BOOST_TEST(logged("lacks INSERT on table \"migration\".\"app_pricing_cc\""),
             last_log());
  BOOST_TEST(logged("GRANT INSERT ON \"migration\".\"app_pricing_cc\" TO \"" +
                    role + "\""));
  BOOST_TEST(logged("GRANT SELECT ON \"app_xml_staging\" TO \"" + role +
                    "\""));
  BOOST_TEST(count("SELECT count(*) FROM migration.runs") == 0);
  BOOST_TEST(count("SELECT count(*) FROM migration.processing_log") == 0);
}

BOOST_AUTO_TEST_CASE(missing_tables_and_columns_are_all_listed) {
  prepare_target();
  server.execute(database.name(),
                 "DROP TABLE migration.app_solicited_cc; "
                 "ALTER TABLE migration.app_pricing_cc DROP COLUMN "
                 "monthly_income; ALTER TABLE migration.runs ALTER COLUMN "
                 "settings TYPE varchar(5)");
  BOOST_TEST(run_without_ddl() == exit_usage);
  BOOST_TEST(logged("table \"migration\".\"app_solicited_cc\" does not "
                    "exist; fix: CREATE TABLE IF NOT EXISTS "
                    "\"migration\".app_solicited_cc"),
             last_log());
  BOOST_TEST(logged("column monthly_income of table "
                    "\"migration\".\"app_pricing_cc\" does not exist; fix: "
                    "ALTER TABLE \"migration\".\"app_pricing_cc\" ADD COLUMN "
                    "monthly_income"));
  BOOST_TEST(logged("column settings of table \"migration\".\"runs\" is "
                    "character varying(5), expected text"));
  BOOST_TEST(logged("3 problem(s)"));
  BOOST_TEST(count("SELECT count(*) FROM migration.processing_log") == 0);
}

BOOST_AUTO_TEST_CASE(an_empty_target_gets_nothing_created) {
  BOOST_TEST(run_without_ddl() == exit_usage);
  BOOST_TEST(logged("schema migration does not exist; fix: CREATE SCHEMA"),
             last_log());
  BOOST_TEST(count("SELECT count(*) FROM pg_namespace "
                   "WHERE nspname = 'migration'") == 0);
}

BOOST_AUTO_TEST_CASE(the_printed_sqlite_schema_serves_a_no_ddl_run) {
  BOOST_REQUIRE_EQUAL(import_samples(), exit_some_failed);
  write_file("target.db", "");  // an empty file is an empty database
  execute(target_db(), schema_script("sqlite"));
  const int code = run({"run", "--no-ddl", "--source", source_url(),
                        "--target", target_url(), "--contract", contract()});
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM processing_log") ==
             query_number(source_db(),
                          "SELECT count(*) FROM app_xml_staging"));
}

BOOST_AUTO_TEST_CASE(sqlite_schema_refuses_a_role) {
  std::string out;
  BOOST_TEST(run_capturing({"schema", "--dialect", "sqlite", "--contract",
                            contract(), "--role", "someone"},
                           out) == exit_usage);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::testing
