#pragma once

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "domain/contract.hpp"
#include "infra/result.hpp"

namespace xmlshred::infra::test {

/// The error text of `outcome`, empty when it holds a value: for check
/// messages, which Boost evaluates even when the check passes.
template <class T>
std::string failure_of(const result<T>& outcome) {
  return outcome.ok() ? std::string() : outcome.error().message;
}

/// A fresh directory under the system temp dir, removed on destruction.
class temp_dir {
 public:
  temp_dir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("xmlshred-infra-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

using text_row = std::vector<std::optional<std::string>>;

/// A direct sqlite3 connection, independent of the code under test, to
/// look at what was written (and to hold locks).
class raw_sqlite {
 public:
  explicit raw_sqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path);
    }
  }
  ~raw_sqlite() { sqlite3_close(db_); }
  raw_sqlite(const raw_sqlite&) = delete;
  raw_sqlite& operator=(const raw_sqlite&) = delete;

  /// Every row of `sql`, each column as text (std::nullopt for NULL).
  std::vector<text_row> query(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) !=
        SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    std::vector<text_row> rows;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      text_row row;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        const auto* text = sqlite3_column_text(statement, i);
        row.push_back(text == nullptr
                          ? std::nullopt
                          : std::optional<std::string>(
                                reinterpret_cast<const char*>(text)));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return rows;
  }

  /// The single value of a one-row, one-column query.
  std::string scalar(const std::string& sql) {
    auto rows = query(sql);
    if (rows.empty() || rows[0].empty() || !rows[0][0]) {
      return "<none>";
    }
    return *rows[0][0];
  }

  /// Runs `sql`; returns sqlite's result code.
  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_ = nullptr;
};

/// `row` with NULL spelled "<null>", so checks can print it.
inline std::vector<std::string> printable(const text_row& row) {
  std::vector<std::string> texts;
  for (const auto& value : row) {
    texts.push_back(value ? *value : "<null>");
  }
  return texts;
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline domain::data_type data_type_named(const std::string& name) {
  if (name == "int") return domain::data_type::int_type;
  if (name == "smallint") return domain::data_type::smallint_type;
  if (name == "tinyint") return domain::data_type::tinyint_type;
  if (name == "bigint") return domain::data_type::bigint_type;
  if (name == "bit") return domain::data_type::bit_type;
  if (name.rfind("decimal", 0) == 0) return domain::data_type::decimal_type;
  if (name == "datetime") return domain::data_type::datetime_type;
  if (name == "date") return domain::data_type::date_type;
  return domain::data_type::string_type;
}

/// The parts of a shipped contract file the database layer reads (names,
/// insertion order, mapped columns and their types, relationships), built directly so the
/// suite does not depend on the domain's full contract validation.
inline std::shared_ptr<const domain::contract> shipped_contract(
    const std::string& stem) {
  const auto path = std::string(XMLSHRED_SOURCE_DIR) +
                    "/examples/contracts/" + stem + ".json";
  const auto json = nlohmann::json::parse(read_text_file(path));
  auto c = std::make_shared<domain::contract>();
  c->name = stem;
  c->file = path;
  c->source_table = json.at("source_table");
  c->source_column = json.at("source_column");
  c->target_schema = json.at("target_schema");
  c->table_insertion_order =
      json.at("table_insertion_order").get<std::vector<std::string>>();
  for (const auto& entry : json.at("mappings")) {
    domain::mapping_spec mapping;
    mapping.index = c->mappings.size();
    mapping.target_table = entry.at("target_table");
    mapping.target_column = entry.value("target_column", "");
    mapping.type = data_type_named(entry.value("data_type", "string"));
    if (entry.contains("data_length") && entry["data_length"].is_number()) {
      mapping.data_length = entry["data_length"].get<int>();
    }
    if (entry.contains("mapping_type")) {
      mapping.mapping_types =
          entry["mapping_type"].get<std::vector<std::string>>();
    }
    c->mappings.push_back(std::move(mapping));
  }
  for (const auto& entry : json.at("relationships")) {
    domain::relationship link;
    link.parent_table = entry.at("parent_table");
    link.child_table = entry.at("child_table");
    link.foreign_key_column = entry.at("foreign_key_column");
    c->relationships.push_back(std::move(link));
  }
  return c;
}

}  // namespace xmlshred::infra::test
