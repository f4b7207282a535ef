#include "tests/postgresql/postgresql_server.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace xmlshred::testing {
namespace {

constexpr const char* superuser = "postgres";
constexpr const char* maintenance_database = "postgres";

std::string required_variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(
        std::string(name) +
        " is not set: run this suite through tests/postgresql/with_server.sh"
        " (ctest does)");
  }
  return value;
}

using connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using query_result = std::unique_ptr<PGresult, decltype(&PQclear)>;

connection connect(const std::string& url) {
  connection conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect: " +
                             std::string(PQerrorMessage(conn.get())));
  }
  return conn;
}

query_result run(const std::string& url, const std::string& sql) {
  auto conn = connect(url);
  query_result result(PQexec(conn.get(), sql.c_str()), &PQclear);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("statement failed: " +
                             std::string(PQerrorMessage(conn.get())) +
                             " in: " + sql);
  }
  return result;
}

}  // namespace

postgresql_server::postgresql_server()
    : socket_(required_variable("XMLSHRED_TEST_POSTGRESQL_SOCKET")),
      port_(required_variable("XMLSHRED_TEST_POSTGRESQL_PORT")) {}

std::string postgresql_server::admin_url(const std::string& database) const {
  return "postgresql://" + std::string(superuser) + "@/" + database +
         "?host=" + socket_ + "&port=" + port_;
}

std::string postgresql_server::tcp_url(const std::string& role,
                                       const std::string& password,
                                       const std::string& database) const {
  return "postgresql://" + role + ":" + password + "@127.0.0.1:" + port_ +
         "/" + database;
}

void postgresql_server::execute(const std::string& database,
                                const std::string& sql) const {
  run(admin_url(database), sql);
}

std::vector<std::string> postgresql_server::query_column(
    const std::string& database, const std::string& sql) const {
  auto result = run(admin_url(database), sql);
  std::vector<std::string> values;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    values.emplace_back(PQgetisnull(result.get(), row, 0)
                            ? "NULL"
                            : PQgetvalue(result.get(), row, 0));
  }
  return values;
}

long long postgresql_server::query_number(const std::string& database,
                                          const std::string& sql) const {
  const auto column = query_column(database, sql);
  if (column.empty() || column.front() == "NULL") {
    throw std::runtime_error("no number from: " + sql);
  }
  return std::stoll(column.front());
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(counter++);
}

scratch_database::scratch_database(const postgresql_server& server)
    : server_(server), name_(unique_name("xmlshred_test")) {
  server_.execute(maintenance_database, "CREATE DATABASE " + name_);
}

scratch_database::~scratch_database() {
  try {
    server_.execute(maintenance_database,
                    "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // Deliberately ignored: the server is thrown away after the suites.
  }
}

}  // namespace xmlshred::testing
