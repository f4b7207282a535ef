#include "tests/app/cli_fixture.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace xmlshred::testing {
namespace {

namespace fs = std::filesystem;

std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  return argv;
}

struct database {
  explicit database(const std::string& file) {
    if (sqlite3_open_v2(file.c_str(), &handle, SQLITE_OPEN_READWRITE,
                        nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + file);
    }
    sqlite3_busy_timeout(handle, 5000);
  }
  ~database() { sqlite3_close(handle); }
  sqlite3* handle = nullptr;
};

/// Most significant digits a double ever needs to read back unchanged.
constexpr int max_double_digits = 17;
/// Decimal exponents written in plain notation, as the expected rows do.
constexpr int lowest_plain_exponent = -4;
constexpr int highest_plain_exponent = 15;

// The fewest significant digits that read back as `value`, written in
// plain notation with at least one decimal ("450.0", "0.09589"); very
// large or small values keep an exponent.
std::string shortest_real(double value) {
  char text[400];
  if (!std::isfinite(value)) {
    std::snprintf(text, sizeof text, "%g", value);
    return text;
  }
  int digits = 1;
  for (; digits < max_double_digits; ++digits) {
    std::snprintf(text, sizeof text, "%.*e", digits - 1, value);
    if (std::strtod(text, nullptr) == value) {
      break;
    }
  }
  std::snprintf(text, sizeof text, "%.*e", digits - 1, value);
  const int exponent = std::atoi(std::strchr(text, 'e') + 1);
  if (exponent < lowest_plain_exponent || exponent > highest_plain_exponent) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    return text;
  }
  const int decimals = std::max(1, digits - 1 - exponent);
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::optional<std::string> canonical_cell(sqlite3_stmt* statement, int i) {
  switch (sqlite3_column_type(statement, i)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_FLOAT:
      return shortest_real(sqlite3_column_double(statement, i));
    default: {
      const auto* text = sqlite3_column_text(statement, i);
      return std::string(reinterpret_cast<const char*>(text),
                         sqlite3_column_bytes(statement, i));
    }
  }
}

}  // namespace

cli_fixture::cli_fixture() {
  std::random_device entropy;
  dir_ = fs::temp_directory_path() /
         ("xmlshred-test-" + std::to_string(entropy()));
  fs::create_directories(dir_);
  log_ = dir_ / "stderr.log";
}

cli_fixture::~cli_fixture() {
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

pid_t cli_fixture::start(const std::vector<std::string>& args) {
  std::vector<std::string> full{XMLSHRED_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  const pid_t pid = fork();
  if (pid == 0) {
    const int log = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, STDERR_FILENO);
    auto argv = argv_of(full);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int cli_fixture::wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

int cli_fixture::run(const std::vector<std::string>& args) {
  return wait_for(start(args));
}

std::string cli_fixture::last_log() const {
  std::ifstream in{log_};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int cli_fixture::run_capturing(const std::vector<std::string>& args,
                               std::string& output) {
  const auto out_file = dir_ / "stdout.log";
  std::vector<std::string> full{XMLSHRED_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  const pid_t pid = fork();
  if (pid == 0) {
    const int log = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, STDERR_FILENO);
    const int out =
        open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, STDOUT_FILENO);
    auto argv = argv_of(full);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const int code = wait_for(pid);
  std::ifstream in{out_file};
  std::ostringstream text;
  text << in.rdbuf();
  output = text.str();
  return code;
}

void cli_fixture::write_file(const std::string& name,
                             const std::string& text) const {
  std::ofstream out{dir_ / name, std::ios::binary | std::ios::trunc};
  out << text;
}

long long cli_fixture::query_number(const std::string& db,
                                    const std::string& sql) {
  auto column = query_column(db, sql);
  if (column.empty() || column.front() == "NULL") {
    throw std::runtime_error("no number from: " + sql);
  }
  return std::stoll(column.front());
}

std::vector<std::string> cli_fixture::query_column(const std::string& db,
                                                   const std::string& sql) {
  database connection{db};
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection.handle, sql.c_str(), -1, &statement,
                         nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string{"bad query: "} +
                             sqlite3_errmsg(connection.handle));
  }
  std::vector<std::string> values;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(statement, 0);
    values.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
  }
  sqlite3_finalize(statement);
  return values;
}

void cli_fixture::execute(const std::string& db, const std::string& sql) {
  database connection{db};
  char* error = nullptr;
  if (sqlite3_exec(connection.handle, sql.c_str(), nullptr, nullptr,
                   &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("statement failed: " + message);
  }
}

std::vector<std::vector<std::optional<std::string>>> cli_fixture::query_rows(
    const std::string& db, const std::string& sql) {
  database connection{db};
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection.handle, sql.c_str(), -1, &statement,
                         nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string{"bad query: "} +
                             sqlite3_errmsg(connection.handle));
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  const int width = sqlite3_column_count(statement);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int i = 0; i < width; ++i) {
      row.push_back(canonical_cell(statement, i));
    }
  }
  sqlite3_finalize(statement);
  return rows;
}

std::string cli_fixture::real_text(double value) {
  return shortest_real(value);
}

void cli_fixture::forget_records(const std::string& db,
                                 const std::string& keys) {
  const auto contacts =
      "(SELECT con_id FROM app_contact_base WHERE app_id IN (" + keys + "))";
  const auto tables = query_column(
      db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  std::string by_contact;
  std::string by_application;
  for (const auto& table : tables) {
    const auto columns = query_column(
        db, "SELECT name FROM pragma_table_info('" + table + "')");
    const auto has = [&](const char* column) {
      return std::find(columns.begin(), columns.end(), column) !=
             columns.end();
    };
    if (table == "app_contact_base" || table == "runs") {
      continue;
    }
    if (has("app_id")) {
      by_application += "DELETE FROM " + table + " WHERE app_id IN (" +
                        keys + ");";
    } else if (has("con_id")) {
      by_contact += "DELETE FROM " + table + " WHERE con_id IN " + contacts +
                    ";";
    }
  }
  // Children first: contact details, contacts, then application rows.
  execute(db, "PRAGMA foreign_keys = OFF;" + by_contact +
                  "DELETE FROM app_contact_base WHERE app_id IN (" + keys +
                  ");" + by_application);
}

std::string cli_fixture::path(const std::string& name) const {
  return (dir_ / name).string();
}

std::string cli_fixture::contract() {
  return std::string{XMLSHRED_SOURCE_DIR} +
         "/examples/contracts/credit_card.json";
}

std::string cli_fixture::samples() {
  return std::string{XMLSHRED_SOURCE_DIR} + "/examples/cc";
}

int cli_fixture::import_samples() {
  return run({"import", samples(), "--source", source_url(), "--contract",
              contract()});
}

int cli_fixture::convert(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"run",        "--source",   source_url(),
                                "--target",   target_url(), "--contract",
                                contract()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(args);
}

}  // namespace xmlshred::testing
