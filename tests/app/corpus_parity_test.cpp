// Parity of the whole product with the reference conversion, through the
// real binary: documents are imported folder by folder into one source,
// converted with both contracts into one SQLite target, and the target is
// compared table by table, column by column, value by value with the
// expected-shared-db rows (docs/parity.md). Differences are allowed only as
// listed in tests/parity_allowlist.txt.
#define BOOST_TEST_MODULE corpus_parity_test
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using xmlshred::testing::cli_fixture;

namespace {

using cell = std::optional<std::string>;

/// Columns that tie a row to its document: the record key, and the
/// contact key for contact detail rows.
constexpr const char* key_column = "app_id";
constexpr const char* contact_column = "con_id";
constexpr const char* contact_table = "app_contact_base";
constexpr const char* expected_ok = "ok";
constexpr std::size_t max_printed_differences = 30;
constexpr int name_width = 32;
constexpr int count_width = 10;

std::string contract_file(const std::string& name) {
  return std::string{XMLSHRED_SOURCE_DIR} + "/examples/contracts/" + name +
         ".json";
}
const std::string credit_card = contract_file("credit_card");
const std::string rec_lending = contract_file("rec_lending");

std::string render(const cell& value) {
  return value ? "\"" + *value + "\"" : "NULL";
}

/// A folder of documents and the folder of their expected rows.
struct corpus_folder {
  fs::path documents;
  fs::path expected;
};

std::vector<corpus_folder> shipped_folders() {
  const fs::path source{XMLSHRED_SOURCE_DIR};
  const fs::path data{XMLSHRED_TEST_DATA_DIR};
  return {{source / "examples" / "cc", data / "expected-shared-db" / "cc"},
          {source / "examples" / "rl", data / "expected-shared-db" / "rl"}};
}

fs::path shared_corpus() {
  return fs::path{XMLSHRED_SHARED_DIR} / "corpus";
}

bool shared_corpus_present() {
  std::error_code ignored;
  return fs::is_directory(shared_corpus() / "expected-shared-db", ignored);
}

std::vector<corpus_folder> shared_folders() {
  const auto root = shared_corpus();
  return {{root / "cc", root / "expected-shared-db" / "cc"},
          {root / "rl", root / "expected-shared-db" / "rl"}};
}

/// One document's expected outcome and rows.
struct expected_document {
  std::string file;
  std::optional<std::string> key;
  std::string status;
  json tables;
  /// Folder of the per-document expectations (expected/), which still
  /// hold the contacts a shared database skips; may not exist.
  fs::path unshared;
};

json read_json(const fs::path& path) {
  std::ifstream in{path};
  return json::parse(in);
}

std::vector<expected_document> load_expected(const corpus_folder& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder.documents)) {
    if (entry.path().extension() == ".xml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<expected_document> documents;
  for (const auto& file : files) {
    const auto expected =
        folder.expected / (file.stem().string() + ".json");
    BOOST_TEST_REQUIRE(fs::exists(expected), expected);
    const auto data = read_json(expected);
    expected_document document;
    document.file = file.filename().string();
    if (!data["app_id"].is_null()) {
      document.key = data["app_id"].get<std::string>();
    }
    document.status = data["status"].get<std::string>();
    document.tables = data["tables"];
    document.unshared = folder.expected.parent_path().parent_path() /
                        "expected" / folder.expected.filename() /
                        expected.filename();
    documents.push_back(std::move(document));
  }
  return documents;
}

// -- allowed differences -----------------------------------------------------

/// One line of tests/parity_allowlist.txt:
/// `table | column | matcher | reason`, where the matcher is one or more
/// conditions joined by `&`, all of which must hold:
///   document=FILE               the document's file name
///   actual=null                 the target holds NULL
///   expected=actual-last-char   expected is the target value without its
///                               last character
struct allowance {
  std::string table;
  std::string column;
  std::vector<std::string> conditions;
  std::string reason;
  std::size_t used = 0;
};

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t\r");
  return first == std::string::npos ? ""
                                    : text.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in{text};
  std::string part;
  while (std::getline(in, part, separator)) {
    parts.push_back(trimmed(part));
  }
  return parts;
}

std::vector<allowance> read_allowlist() {
  std::ifstream in{std::string{XMLSHRED_SOURCE_DIR} +
                   "/tests/parity_allowlist.txt"};
  BOOST_TEST_REQUIRE(in.good());
  std::vector<allowance> list;
  std::string line;
  while (std::getline(in, line)) {
    if (trimmed(line).empty() || trimmed(line).front() == '#') {
      continue;
    }
    const auto fields = split(line, '|');
    BOOST_TEST_REQUIRE(fields.size() == 4u, "malformed line: " << line);
    list.push_back({fields[0], fields[1], split(fields[2], '&'), fields[3]});
  }
  return list;
}

/// A cell that differs: what the allow-list conditions look at.
struct difference {
  std::string document;
  std::string table;
  std::string column;
  cell expected;
  cell actual;
};

bool holds(const std::string& condition, const difference& d) {
  const auto equals = condition.find('=');
  if (equals == std::string::npos) {
    return false;
  }
  const auto name = condition.substr(0, equals);
  const auto value = condition.substr(equals + 1);
  if (name == "document") {
    return d.document == value;
  }
  if (name == "actual" && value == "null") {
    return !d.actual;
  }
  if (name == "expected" && value == "actual-last-char") {
    return d.expected && d.actual && !d.actual->empty() &&
           *d.expected == d.actual->substr(0, d.actual->size() - 1);
  }
  return false;
}

allowance* allowed_by(std::vector<allowance>& list, const difference& d) {
  for (auto& entry : list) {
    if (entry.table == d.table && entry.column == d.column &&
        std::all_of(entry.conditions.begin(), entry.conditions.end(),
                    [&](const auto& c) { return holds(c, d); })) {
      return &entry;
    }
  }
  return nullptr;
}

// -- comparison ---------------------------------------------------------------

/// Figures of one table, or of all tables together.
struct table_figures {
  std::size_t expected_rows = 0;
  std::size_t actual_rows = 0;
  std::size_t cells = 0;
  std::size_t equal = 0;
  std::size_t allowed = 0;

  void add(const table_figures& other) {
    expected_rows += other.expected_rows;
    actual_rows += other.actual_rows;
    cells += other.cells;
    equal += other.equal;
    allowed += other.allowed;
  }
};

/// The result of comparing a whole target with the expected rows.
struct parity_report {
  std::size_t documents = 0;
  std::map<std::string, table_figures> tables;
  /// Differences not on the allow-list, row counts included.
  std::vector<std::string> unexpected;
};

/// The column that groups a table's rows: the record key when the table
/// has it, else the contact key (contact details belong to a contact, and a
/// later application may add details to an earlier one's contact).
std::string group_column(const std::vector<std::string>& columns) {
  for (const char* name : {key_column, contact_column}) {
    if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
      return name;
    }
  }
  return key_column;
}

/// Expected rows of one table, keyed by group_column(), in key order.
struct expected_rows {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::pair<const expected_document*,
                                              const json*>>>
      by_key;
};

std::map<std::string, expected_rows> expected_tables(
    const std::vector<expected_document>& documents) {
  std::map<std::string, expected_rows> tables;
  for (const auto& document : documents) {
    for (const auto& [table, rows] : document.tables.items()) {
      auto& entry = tables[table];
      for (const auto& row : rows) {
        for (const auto& [column, value] : row.items()) {
          if (std::find(entry.columns.begin(), entry.columns.end(),
                        column) == entry.columns.end()) {
            entry.columns.push_back(column);
          }
        }
      }
    }
  }
  for (auto& [table, entry] : tables) {
    const auto group = group_column(entry.columns);
    for (const auto& document : documents) {
      const auto rows = document.tables.find(table);
      if (rows == document.tables.end()) {
        continue;
      }
      for (const auto& row : *rows) {
        const auto key = row.find(group);
        entry.by_key[key == row.end() || key->is_null()
                         ? ""
                         : key->get<std::string>()]
            .emplace_back(&document, &row);
      }
    }
  }
  return tables;
}

/// The expected text of `column`, rendered like the target cell: a number
/// bound to a REAL column as text ("1500") is stored as a double and read
/// back as "1500.0".
cell expected_cell(const json& row, const std::string& column, bool real) {
  const auto found = row.find(column);
  if (found == row.end() || found->is_null()) {
    return std::nullopt;
  }
  auto text = found->get<std::string>();
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (real && !text.empty() && end == text.c_str() + text.size()) {
    return cli_fixture::real_text(number);
  }
  return text;
}

class target_comparison {
 public:
  target_comparison(cli_fixture& fixture, std::vector<allowance>& allowed)
      : fixture_(fixture), allowed_(allowed) {}

  parity_report compare(const std::vector<expected_document>& documents) {
    parity_report report;
    report.documents = documents.size();
    for (const auto& [table, rows] : expected_tables(documents)) {
      report.tables[table] = compare_table(table, rows, report);
    }
    check_tables_without_expected_rows(report);
    return report;
  }

 private:
  /// The group_column() value of a target row read with `columns`.
  static std::string owner(const std::vector<std::string>& columns,
                           const std::vector<cell>& row) {
    const auto group = group_column(columns);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == group && row[i]) {
        return *row[i];
      }
    }
    return "";
  }

  std::vector<std::string> target_columns(const std::string& table) {
    return fixture_.query_column(
        fixture_.target_db(),
        "SELECT name FROM pragma_table_info('" + table + "')");
  }
  std::set<std::string> real_columns(const std::string& table) {
    const auto names = fixture_.query_column(
        fixture_.target_db(), "SELECT name FROM pragma_table_info('" +
                                  table + "') WHERE upper(type) = 'REAL'");
    return {names.begin(), names.end()};
  }

  table_figures compare_table(const std::string& table,
                              const expected_rows& expected,
                              parity_report& report);
  void compare_row(const std::string& table, const expected_document& doc,
                   const json& row, const std::vector<std::string>& columns,
                   const std::vector<cell>& actual, table_figures& figures,
                   parity_report& report);

  /// REAL columns of the table being compared.
  std::set<std::string> reals_;
  void check_tables_without_expected_rows(parity_report& report);

  cli_fixture& fixture_;
  std::vector<allowance>& allowed_;
};

// Rows of one document are compared in insertion order (rowid), the
// order the expected files list them in.
table_figures target_comparison::compare_table(const std::string& table,
                                               const expected_rows& expected,
                                               parity_report& report) {
  table_figures figures;
  const auto present = target_columns(table);
  reals_ = real_columns(table);
  std::vector<std::string> columns;
  for (const auto& column : expected.columns) {
    if (std::find(present.begin(), present.end(), column) == present.end()) {
      report.unexpected.push_back(table + "." + column +
                                  ": column not in the target");
    } else {
      columns.push_back(column);
    }
  }
  std::string select;
  for (const auto& column : columns) {
    select += (select.empty() ? "" : ", ") + ("\"" + column + "\"");
  }

  // Target rows grouped by the document they belong to.
  std::map<std::string, std::vector<std::vector<cell>>> actual;
  for (auto& row : fixture_.query_rows(
           fixture_.target_db(),
           "SELECT " + select + " FROM " + table + " ORDER BY rowid")) {
    ++figures.actual_rows;
    actual[owner(columns, row)].push_back(std::move(row));
  }
  for (const auto& [key, rows] : expected.by_key) {
    figures.expected_rows += rows.size();
    const auto& found = actual[key];
    for (std::size_t i = 0; i < rows.size() && i < found.size(); ++i) {
      compare_row(table, *rows[i].first, *rows[i].second, columns, found[i],
                  figures, report);
    }
    if (found.size() != rows.size()) {
      report.unexpected.push_back(
          rows.front().first->file + ": " + table + ": " +
          std::to_string(rows.size()) + " rows expected, " +
          std::to_string(found.size()) + " in the target");
    }
  }
  for (const auto& [key, rows] : actual) {
    if (expected.by_key.count(key) == 0 && !rows.empty()) {
      report.unexpected.push_back(table + ": " + std::to_string(rows.size()) +
                                  " unexpected rows of key " + key);
    }
  }
  return figures;
}

void target_comparison::compare_row(const std::string& table,
                                    const expected_document& doc,
                                    const json& row,
                                    const std::vector<std::string>& columns,
                                    const std::vector<cell>& actual,
                                    table_figures& figures,
                                    parity_report& report) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    // A column the mapper did not produce for this document is not part
    // of its expected row; the database default fills it.
    if (row.find(columns[i]) == row.end()) {
      continue;
    }
    ++figures.cells;
    difference d{doc.file, table, columns[i],
                 expected_cell(row, columns[i], reals_.count(columns[i]) > 0),
                 actual[i]};
    if (d.expected == d.actual) {
      ++figures.equal;
    } else if (auto* entry = allowed_by(allowed_, d)) {
      ++entry->used;
      ++figures.allowed;
    } else {
      report.unexpected.push_back(doc.file + ": " + table + "." + columns[i] +
                                  ": expected " + render(d.expected) +
                                  ", target " + render(d.actual));
    }
  }
}

// A table the contracts wrote to but no document expects rows in.
void target_comparison::check_tables_without_expected_rows(
    parity_report& report) {
  const auto tables = fixture_.query_column(
      fixture_.target_db(),
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
      "('processing_log', 'runs', 'requeue_log')");
  for (const auto& table : tables) {
    if (report.tables.count(table) > 0) {
      continue;
    }
    const auto enum_like = fixture_.query_column(
        fixture_.target_db(),
        "SELECT COUNT(*) FROM pragma_table_info('" + table +
            "') WHERE name IN ('app_id', 'con_id')");
    if (enum_like.front() == "0") {
      continue;  // lookup tables (enums) hold no document rows
    }
    const auto rows = fixture_.query_number(fixture_.target_db(),
                                            "SELECT COUNT(*) FROM " + table);
    if (rows > 0) {
      report.unexpected.push_back(table + ": " + std::to_string(rows) +
                                  " rows, none expected");
    }
  }
}

void print_report(const std::string& title, const parity_report& report) {
  table_figures total;
  std::cout << "\nparity: " << title << " (" << report.documents
            << " documents, " << report.tables.size() << " tables)\n"
            << std::left << std::setw(name_width) << "table" << std::right;
  for (const char* heading :
       {"exp.rows", "rows", "cells", "equal", "allowed"}) {
    std::cout << std::setw(count_width) << heading;
  }
  std::cout << '\n';
  auto line = [](const std::string& name, const table_figures& f) {
    std::cout << std::left << std::setw(name_width) << name << std::right
              << std::setw(count_width) << f.expected_rows
              << std::setw(count_width) << f.actual_rows
              << std::setw(count_width) << f.cells << std::setw(count_width)
              << f.equal << std::setw(count_width) << f.allowed << '\n';
  };
  for (const auto& [table, figures] : report.tables) {
    line(table, figures);
    total.add(figures);
  }
  line("total", total);
  std::cout << "unexpected differences: " << report.unexpected.size() << '\n';
  for (std::size_t i = 0;
       i < report.unexpected.size() && i < max_printed_differences; ++i) {
    std::cout << "  " << report.unexpected[i] << '\n';
  }
}

// -- statuses -----------------------------------------------------------------

struct log_entry {
  std::string status;
  cell category;
  cell message;
};

std::map<std::string, log_entry> read_log(cli_fixture& fixture) {
  std::map<std::string, log_entry> log;
  for (const auto& row : fixture.query_rows(
           fixture.target_db(),
           "SELECT app_id, status, category, message FROM processing_log")) {
    log[*row[0]] = {*row[1], row[2], row[3]};
  }
  return log;
}

/// Expected ok: converted. Expected rejected or error: not converted and
/// categorised, in processing_log or, without a key, by the import.
void check_statuses(const std::vector<expected_document>& documents,
                    const std::map<std::string, log_entry>& log,
                    const std::string& import_log) {
  for (const auto& document : documents) {
    if (!document.key) {
      BOOST_TEST(document.status != expected_ok, document.file);
      BOOST_TEST(import_log.find("not loaded file=") != std::string::npos);
      BOOST_TEST(import_log.find(document.file + " reason=") !=
                     std::string::npos,
                 document.file << " not named with a reason");
      continue;
    }
    const auto found = log.find(*document.key);
    BOOST_TEST_REQUIRE((found != log.end()), document.file);
    const auto& entry = found->second;
    if (document.status == expected_ok) {
      BOOST_TEST(entry.status == "converted", document.file);
    } else {
      BOOST_TEST(entry.status != "converted", document.file);
      BOOST_TEST(entry.category.has_value(), document.file);
    }
  }
}

std::size_t contact_rows(const json& tables) {
  const auto found = tables.find(contact_table);
  return found == tables.end() ? 0 : found->size();
}

// Where the shared database lost contacts of a document (their con_id
// belonged to an earlier application), its log row says so.
std::size_t check_skip_notes(const std::vector<expected_document>& documents,
                             const std::map<std::string, log_entry>& log) {
  std::size_t noted = 0;
  for (const auto& document : documents) {
    std::error_code ignored;
    if (!document.key || !fs::exists(document.unshared, ignored)) {
      continue;
    }
    const auto alone = read_json(document.unshared)["tables"];
    if (contact_rows(alone) <= contact_rows(document.tables)) {
      continue;
    }
    const auto& entry = log.at(*document.key);
    BOOST_TEST(entry.message.has_value(), document.file);
    BOOST_TEST(entry.message.value_or("").find(contact_table) !=
                   std::string::npos,
               document.file);
    ++noted;
  }
  return noted;
}

// -- the job ------------------------------------------------------------------

struct parity_fixture : cli_fixture {
  /// Imports every folder with both contracts, runs once, compares.
  parity_report convert_and_compare(const std::vector<corpus_folder>& folders,
                                    const std::string& title) {
    std::vector<expected_document> documents;
    std::string import_logs;
    for (const auto& folder : folders) {
      auto expected = load_expected(folder);
      const bool keyless = std::any_of(
          expected.begin(), expected.end(),
          [](const auto& d) { return !d.key; });
      BOOST_TEST(run({"import", folder.documents.string(), "--source",
                      source_url(), "--contract", credit_card, "--contract",
                      rec_lending}) == (keyless ? 1 : 0),
                 last_log());
      import_logs += last_log();
      documents.insert(documents.end(), expected.begin(), expected.end());
    }
    BOOST_TEST_REQUIRE(run({"run", "--source", source_url(), "--target",
                            target_url(), "--contract", credit_card,
                            "--contract", rec_lending}) == 0,
                       last_log());

    // Rows of a contact shared by documents are inserted in key order.
    std::stable_sort(documents.begin(), documents.end(),
                     [](const auto& a, const auto& b) {
                       return std::stoll(a.key.value_or("0")) <
                              std::stoll(b.key.value_or("0"));
                     });
    const auto log = read_log(*this);
    check_statuses(documents, log, import_logs);
    skip_notes = check_skip_notes(documents, log);
    auto report = target_comparison{*this, allowed}.compare(documents);
    print_report(title, report);
    return report;
  }

  std::vector<allowance> allowed = read_allowlist();
  std::size_t skip_notes = 0;
};

std::size_t total_cells(const parity_report& report) {
  std::size_t cells = 0;
  for (const auto& [table, figures] : report.tables) {
    cells += figures.cells;
  }
  return cells;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(corpus_parity, parity_fixture)

BOOST_AUTO_TEST_CASE(shipped_samples_match_expected_rows_value_by_value) {
  const auto report = convert_and_compare(shipped_folders(), "shipped");
  BOOST_TEST(report.documents == 30u);
  BOOST_TEST(total_cells(report) > 0u);
  BOOST_TEST(report.unexpected.empty());
}

BOOST_AUTO_TEST_CASE(shared_corpus_matches_expected_rows_value_by_value) {
  if (!shared_corpus_present()) {
    BOOST_TEST_MESSAGE("no shared corpus: covered by the shipped samples");
    return;
  }
  const auto report = convert_and_compare(shared_folders(), "shared corpus");
  BOOST_TEST(report.documents == 118u);
  BOOST_TEST(report.unexpected.empty());
  // Both deliberate differences occur in the corpus; the contact skips of
  // the rl documents sharing con_id 24065 are noted in the log.
  for (const auto& entry : allowed) {
    BOOST_TEST(entry.used > 0u, entry.table << "." << entry.column);
  }
  // Nine rl documents share con_id 24065: all but the first lose it.
  BOOST_TEST(skip_notes == 8u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- several contracts --------------------------------------------------------

namespace {

std::string shipped(const std::string& folder) {
  return std::string{XMLSHRED_SOURCE_DIR} + "/examples/" + folder;
}

/// The record keys of the shipped rec-lending samples.
const std::vector<std::string> rec_lending_keys{"351631", "448194"};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(several_contracts, cli_fixture)

BOOST_AUTO_TEST_CASE(credit_card_contract_alone_rejects_rec_lending_documents) {
  BOOST_TEST_REQUIRE(run({"import", shipped("rl"), "--source", source_url(),
                          "--contract", credit_card}) == 0, last_log());
  BOOST_TEST_REQUIRE(run({"run", "--source", source_url(), "--target",
                          target_url(), "--contract", credit_card}) == 0,
                     last_log());
  const auto outcomes = query_column(
      target_db(),
      "SELECT app_id || ' ' || status || ' ' || category FROM processing_log"
      " ORDER BY app_id");
  BOOST_TEST(outcomes == (std::vector<std::string>{
                             "351631 rejected unsupported_type",
                             "448194 rejected unsupported_type"}),
             boost::test_tools::per_element());
  BOOST_TEST(query_number(target_db(), "SELECT COUNT(*) FROM app_base") == 0);
}

BOOST_AUTO_TEST_CASE(both_contracts_convert_both_product_lines) {
  // bloat.xml among the cc samples has no readable key: import exits 1.
  BOOST_TEST_REQUIRE(run({"import", shipped("cc"), "--source", source_url(),
                          "--contract", credit_card, "--contract",
                          rec_lending}) == 1, last_log());
  BOOST_TEST_REQUIRE(run({"import", shipped("rl"), "--source", source_url(),
                          "--contract", credit_card, "--contract",
                          rec_lending}) == 0, last_log());
  BOOST_TEST_REQUIRE(run({"run", "--source", source_url(), "--target",
                          target_url(), "--contract", credit_card,
                          "--contract", rec_lending}) == 0, last_log());
  const auto by_contract = query_column(
      target_db(),
      "SELECT contract || ' ' || COUNT(*) FROM processing_log"
      " WHERE status = 'converted' GROUP BY contract ORDER BY contract");
  BOOST_TEST(by_contract == (std::vector<std::string>{"credit_card 27",
                                                      "rec_lending 2"}),
             boost::test_tools::per_element());
  BOOST_TEST(query_number(target_db(),
                          "SELECT COUNT(*) FROM app_operational_rl") == 2);
}

BOOST_AUTO_TEST_CASE(several_contracts_share_the_first_contracts_source) {
  // rec_lending first: its source_table is the one filled and read.
  BOOST_TEST_REQUIRE(run({"import", shipped("rl"), shipped("cc"), "--source",
                          source_url(), "--contract", rec_lending,
                          "--contract", credit_card}) == 1, last_log());
  const auto tables = query_column(
      source_db(), "SELECT name FROM sqlite_master WHERE type = 'table'"
                   " AND name LIKE 'app_xml_staging%'");
  BOOST_TEST(tables == std::vector<std::string>{"app_xml_staging_rl"},
             boost::test_tools::per_element());
  BOOST_TEST(query_number(source_db(),
                          "SELECT COUNT(*) FROM app_xml_staging_rl") == 29);

  BOOST_TEST_REQUIRE(run({"run", "--source", source_url(), "--target",
                          target_url(), "--contract", rec_lending,
                          "--contract", credit_card}) == 0, last_log());
  for (const auto& key : rec_lending_keys) {
    BOOST_TEST(query_column(target_db(),
                            "SELECT contract FROM processing_log WHERE "
                            "app_id = " + key) ==
                   std::vector<std::string>{"rec_lending"},
               boost::test_tools::per_element());
  }
  BOOST_TEST(query_number(target_db(),
                          "SELECT COUNT(*) FROM processing_log WHERE "
                          "status = 'converted'") == 29);
}

BOOST_AUTO_TEST_SUITE_END()
