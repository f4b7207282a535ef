#include "app/verify_command.hpp"

#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <variant>

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include "app/contract_loading.hpp"
#include "infra/logging.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/document_source.hpp"
#include "infra/target_inspector.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_consistent = 0;
constexpr int exit_inconsistent = 1;
constexpr int exit_usage = 2;
constexpr int exit_database = 3;
/// Keys named per check; the count says how many there are in all.
constexpr std::size_t example_limit = 20;
/// Keys read per query while comparing the source with processing_log.
constexpr std::size_t key_page_size = 10000;
constexpr int name_width = 26;
constexpr int table_width = 28;

/// A database error while gathering the report: ends the verification.
class database_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
T take(infra::result<T> outcome) {
  if (!outcome) {
    throw database_failure(outcome.error().message);
  }
  return std::move(outcome.value());
}

/// What one check found. A warning is reported but leaves the target
/// consistent.
struct check_result {
  check_result(std::string check, std::string in_table,
               bool warning = false)
      : name(std::move(check)),
        table(std::move(in_table)),
        warning_only(warning) {}

  std::string name;
  std::string table;
  bool warning_only = false;
  std::size_t count = 0;
  /// The column the examples are values of (a key column).
  std::string example_column;
  std::vector<std::string> examples;
  /// Why the check did not need to run, or what it compared.
  std::string note;

  bool failed() const { return count > 0; }
  void add(const std::string& example) {
    if (examples.size() < example_limit) {
      examples.push_back(example);
    }
    ++count;
  }
};

struct verify_report {
  std::string source;
  std::string target;
  std::size_t source_keys = 0;
  std::size_t logged_keys = 0;
  std::vector<std::pair<std::string, std::size_t>> table_rows;
  std::vector<std::string> absent_tables;
  std::vector<infra::outcome_count> outcomes;
  std::vector<check_result> checks;

  std::size_t count(bool warnings) const {
    std::size_t n = 0;
    for (const auto& check : checks) {
      n += check.failed() && check.warning_only == warnings ? 1 : 0;
    }
    return n;
  }
};

/// Ascending keys read page by page through `fetch`.
class key_cursor {
 public:
  using fetcher = std::function<infra::result<std::vector<domain::record_key>>(
      domain::record_key, std::size_t)>;
  explicit key_cursor(fetcher fetch) : fetch_(std::move(fetch)) {}

  std::optional<domain::record_key> peek() {
    if (next_ == page_.size() && !done_) {
      page_ = take(fetch_(after_, key_page_size));
      next_ = 0;
      done_ = page_.empty();
      if (!done_) {
        after_ = page_.back();
      }
    }
    return done_ ? std::nullopt : std::optional(page_[next_]);
  }
  void advance() { ++next_; }

 private:
  fetcher fetch_;
  std::vector<domain::record_key> page_;
  std::size_t next_ = 0;
  domain::record_key after_ = std::numeric_limits<domain::record_key>::min();
  bool done_ = false;
};

/// Gathers the report; every database error ends it (database_failure).
class verifier {
 public:
  verifier(infra::target_inspector& target, infra::document_source& source,
           const contract_list& contracts, std::string key_column)
      : target_(target),
        source_(source),
        contracts_(contracts),
        key_column_(std::move(key_column)) {}

  void gather(verify_report& report) {
    find_tables(report);
    compare_keys(report);
    check_log(report);
    check_roots(report);
    check_orphans(report);
    check_duplicates(report);
    report.outcomes = take(target_.outcome_counts());
  }

 private:
  const std::vector<infra::column_info>& columns_of(const std::string& t) {
    auto found = columns_.find(t);
    if (found == columns_.end()) {
      found = columns_.emplace(t, take(target_.columns(t))).first;
    }
    return found->second;
  }
  bool present(const std::string& table) const {
    return std::find(present_.begin(), present_.end(), table) !=
           present_.end();
  }

  void find_tables(verify_report& report);
  void compare_keys(verify_report& report);
  void check_log(verify_report& report);
  void check_roots(verify_report& report);
  void check_orphans(verify_report& report);
  void add_orphan_check(verify_report& report, const std::string& child,
                        const std::string& column, const std::string& parent);
  void check_duplicates(verify_report& report);

  infra::target_inspector& target_;
  infra::document_source& source_;
  const contract_list& contracts_;
  std::string key_column_;
  std::vector<std::string> present_;
  std::map<std::string, std::vector<infra::column_info>> columns_;
  /// Root table (the key mapping's table) -> contracts rooted there.
  std::map<std::string, std::vector<std::string>> roots_;
};

void verifier::find_tables(verify_report& report) {
  for (const auto& table : infra::contract_tables(contracts_)) {
    if (!take(target_.has_table(table))) {
      report.absent_tables.push_back(table);
      continue;
    }
    present_.push_back(table);
    report.table_rows.emplace_back(table, take(target_.count_rows(table)));
  }
  report.table_rows.emplace_back(
      infra::processing_log_table,
      take(target_.count_rows(infra::processing_log_table)));
  for (const auto& c : contracts_) {
    roots_[c->key_mapping().target_table].push_back(c->name);
  }
}

// Both key streams are ascending: one merge pass finds source keys
// without a log row and log keys without a source document.
void verifier::compare_keys(verify_report& report) {
  check_result missing{"missing_log_rows", infra::processing_log_table};
  check_result extra{"log_keys_not_in_source", infra::processing_log_table,
                     true /*warning_only*/};
  missing.example_column = extra.example_column = key_column_;
  key_cursor source{[&](auto after, auto n) {
    return source_.keys_after(after, n);
  }};
  key_cursor logged{[&](auto after, auto n) {
    return target_.logged_keys_after(after, n);
  }};
  for (;;) {
    const auto s = source.peek();
    const auto l = logged.peek();
    if (!s && !l) {
      break;
    }
    if (s && (!l || *s < *l)) {
      missing.add(std::to_string(*s));
      ++report.source_keys;
      source.advance();
    } else if (l && (!s || *l < *s)) {
      extra.add(std::to_string(*l));
      ++report.logged_keys;
      logged.advance();
    } else {
      ++report.source_keys;
      ++report.logged_keys;
      source.advance();
      logged.advance();
    }
  }
  report.checks.push_back(std::move(missing));
  report.checks.push_back(std::move(extra));
}

void verifier::check_log(verify_report& report) {
  check_result duplicates{"duplicate_log_keys", infra::processing_log_table};
  duplicates.example_column = key_column_;
  const auto found = take(target_.duplicate_log_keys(example_limit));
  duplicates.count = found.count;
  duplicates.examples = found.examples;
  report.checks.push_back(std::move(duplicates));
}

// Each root table against the log, both ways. With several roots each
// only answers for the log rows of its own contracts.
void verifier::check_roots(verify_report& report) {
  for (const auto& [root, names] : roots_) {
    check_result without_row{"converted_without_parent", root};
    check_result without_log{"rows_without_converted_log", root};
    without_row.example_column = without_log.example_column = key_column_;
    if (!present(root)) {
      without_row.note = without_log.note = "table not in the target";
    } else {
      const auto filter =
          roots_.size() > 1 ? names : std::vector<std::string>{};
      auto found =
          take(target_.converted_without_row(root, filter, example_limit));
      without_row.count = found.count;
      without_row.examples = found.examples;
      found = take(target_.rows_without_converted_log(root, example_limit));
      without_log.count = found.count;
      without_log.examples = found.examples;
    }
    report.checks.push_back(std::move(without_row));
    report.checks.push_back(std::move(without_log));
  }
}

void verifier::add_orphan_check(verify_report& report,
                                const std::string& child,
                                const std::string& column,
                                const std::string& parent) {
  check_result orphans{"orphan_rows", child};
  orphans.example_column = column;
  orphans.note = "by " + column + " against " + parent;
  const auto found =
      take(target_.orphan_rows(child, column, parent, example_limit));
  orphans.count = found.count;
  orphans.examples = found.examples;
  report.checks.push_back(std::move(orphans));
}

// The contracts' relationships, then every other table holding the key
// column, which hangs off the root table by that key.
void verifier::check_orphans(verify_report& report) {
  std::set<std::tuple<std::string, std::string, std::string>> links;
  std::set<std::string> children;
  for (const auto& c : contracts_) {
    for (const auto& link : c->relationships) {
      if (present(link.child_table) && present(link.parent_table) &&
          infra::has_column(columns_of(link.child_table),
                            link.foreign_key_column) &&
          infra::has_column(columns_of(link.parent_table),
                            link.foreign_key_column)) {
        links.emplace(link.child_table, link.foreign_key_column,
                      link.parent_table);
        children.insert(link.child_table);
      }
    }
  }
  if (roots_.size() == 1 && present(roots_.begin()->first)) {
    const auto& root = roots_.begin()->first;
    for (const auto& table : present_) {
      if (table != root && !children.count(table) &&
          infra::has_column(columns_of(table), key_column_)) {
        links.emplace(table, key_column_, root);
      }
    }
  }
  for (const auto& [child, column, parent] : links) {
    add_orphan_check(report, child, column, parent);
  }
}

// A primary key makes duplicates impossible; a table without one is
// checked for identical rows.
void verifier::check_duplicates(verify_report& report) {
  auto tables = present_;
  tables.emplace_back(infra::processing_log_table);
  for (const auto& table : tables) {
    check_result duplicates{"duplicate_primary_keys", table};
    const auto& columns = columns_of(table);
    const bool keyed =
        std::any_of(columns.begin(), columns.end(),
                    [](const auto& c) { return c.in_primary_key; });
    if (keyed) {
      duplicates.note = "enforced by the primary key";
    } else {
      std::vector<std::string> names;
      for (const auto& column : columns) {
        names.push_back(column.name);
      }
      const bool has_key = infra::has_column(columns, key_column_);
      duplicates.example_column = has_key ? key_column_ : "";
      duplicates.note = "no primary key: identical rows counted";
      const auto found = take(target_.duplicate_rows(
          table, names, duplicates.example_column, example_limit));
      duplicates.count = found.count;
      duplicates.examples = found.examples;
    }
    report.checks.push_back(std::move(duplicates));
  }
}

// -- output -------------------------------------------------------------------

std::string outcome_name(const infra::outcome_count& outcome) {
  return outcome.category ? outcome.status + "/" + *outcome.category
                          : outcome.status;
}

std::string example_text(const check_result& check) {
  if (check.examples.empty()) {
    return "";
  }
  std::string text = "; " + check.example_column + " ";
  for (std::size_t i = 0; i < check.examples.size(); ++i) {
    text += (i == 0 ? "" : ", ") + check.examples[i];
  }
  if (check.count > check.examples.size()) {
    text += fmt::format(" (+{} more)", check.count - check.examples.size());
  }
  return text;
}

void print_text(const verify_report& report, std::ostream& out) {
  out << "verify target " << report.target << " source " << report.source
      << "\nkeys: " << report.source_keys << " in the source, "
      << report.logged_keys << " in processing_log\n\nrows per table\n";
  for (const auto& [table, rows] : report.table_rows) {
    out << fmt::format("  {:<{}} {:>10}\n", table, table_width, rows);
  }
  for (const auto& table : report.absent_tables) {
    out << fmt::format("  {:<{}} {:>10}\n", table, table_width, "absent");
  }
  out << "\nprocessing_log by status/category\n";
  for (const auto& outcome : report.outcomes) {
    out << fmt::format("  {:<{}} {:>10}\n", outcome_name(outcome),
                       table_width, outcome.count);
  }
  out << "\nchecks\n";
  for (const auto& check : report.checks) {
    const char* mark =
        !check.failed() ? "ok  " : check.warning_only ? "WARN" : "FAIL";
    out << fmt::format("  {} {:<{}} {}", mark, check.name, name_width,
                       check.table);
    if (check.failed()) {
      out << ": " << check.count << example_text(check);
    } else if (!check.note.empty()) {
      out << " (" << check.note << ")";
    }
    out << '\n';
  }
  const auto problems = report.count(false);
  out << "\nresult: " << (problems == 0 ? "consistent" : "INCONSISTENT")
      << ", " << problems << " problem(s), " << report.count(true)
      << " warning(s)\n";
}

// Keys are numbers in JSON when they are integers, as record keys are.
nlohmann::json example_json(const std::string& value) {
  try {
    std::size_t used = 0;
    const long long number = std::stoll(value, &used);
    if (used == value.size()) {
      return number;
    }
  } catch (const std::exception&) {
    // Not an integer: kept as text below.
  }
  return value;
}

void print_json(const verify_report& report, std::ostream& out) {
  nlohmann::json tables = nlohmann::json::object();
  for (const auto& [table, rows] : report.table_rows) {
    tables[table] = rows;
  }
  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& o : report.outcomes) {
    outcomes.push_back({{"status", o.status},
                        {"category", o.category ? nlohmann::json(*o.category)
                                                : nlohmann::json()},
                        {"count", o.count}});
  }
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : report.checks) {
    nlohmann::json examples = nlohmann::json::array();
    for (const auto& example : check.examples) {
      examples.push_back(example_json(example));
    }
    checks.push_back({{"check", check.name},
                      {"table", check.table},
                      {"ok", !check.failed()},
                      {"severity", check.warning_only ? "warning" : "error"},
                      {"count", check.count},
                      {"example_column", check.example_column},
                      {"examples", examples},
                      {"note", check.note}});
  }
  out << nlohmann::json{{"consistent", report.count(false) == 0},
                        {"problems", report.count(false)},
                        {"warnings", report.count(true)},
                        {"source", report.source},
                        {"target", report.target},
                        {"source_keys", report.source_keys},
                        {"logged_keys", report.logged_keys},
                        {"tables", tables},
                        {"absent_tables", report.absent_tables},
                        {"outcomes", outcomes},
                        {"checks", checks}}
             .dump(2)
      << '\n';
}

// -- setup --------------------------------------------------------------------

std::optional<infra::database_url> parse_url(const char* option,
                                             const std::string& text,
                                             spdlog::logger& log) {
  auto url = infra::parse_database_url(text);
  if (auto* problem = std::get_if<std::string>(&url)) {
    log.error("{}: {}", option, *problem);
    return std::nullopt;
  }
  return std::get<infra::database_url>(url);
}

/// A source database or generated documents (their keys are computed).
std::optional<infra::source_location> parse_source(const char* option,
                                                   const std::string& text,
                                                   spdlog::logger& log) {
  auto location = infra::parse_source_location(text);
  if (auto* problem = std::get_if<std::string>(&location)) {
    log.error("{}: {}", option, *problem);
    return std::nullopt;
  }
  return std::get<infra::source_location>(location);
}

/// Both databases opened and the target known to hold processing_log.
struct opened_stores {
  std::unique_ptr<infra::target_inspector> target;
  std::unique_ptr<infra::document_source> source;
  std::string key_column;
};

std::optional<opened_stores> open_stores(const verify_options& options,
                                         const contract_list& contracts,
                                         verify_report& report,
                                         spdlog::logger& log) {
  auto source_url = parse_source("--source", options.source_url, log);
  auto target_url = parse_url("--target", options.target_url, log);
  auto layout = infra::resolve_target_layout(contracts);
  if (!source_url || !target_url || !layout) {
    if (!layout) log.error("{}", layout.error().message);
    return std::nullopt;
  }
  report.source = source_url->masked;
  report.target = target_url->masked;
  const auto& first = *contracts.front();
  auto source = infra::open_document_source(
      *source_url,
      {first.source_table, first.key_column(), first.source_column}, first);
  auto target = infra::target_inspector::open(*target_url, layout.value());
  if (!source || !target) {
    log.error("cannot open {}: {}", !source ? "the source" : "the target",
              (!source ? source.error() : target.error()).message);
    return std::nullopt;
  }
  auto logged = target.value()->has_table(infra::processing_log_table);
  if (!logged) {
    log.error("cannot read the target: {}", logged.error().message);
    return std::nullopt;
  }
  if (!logged.value()) {
    log.error("the target {} has no {} table: no run has written to it",
              report.target, infra::processing_log_table);
    return std::nullopt;
  }
  return opened_stores{std::move(target.value()), std::move(source.value()),
                       layout.value().key_column};
}

}  // namespace

void add_verify_command(CLI::App& parent, verify_options& options,
                        int& exit_code) {
  auto* command = parent.add_subcommand(
      "verify", "Check that the target accounts for every source record");
  command->add_option("--source", options.source_url,
                      "Source database, e.g. sqlite:source.db, or the "
                      "run's generated:?count=N... source")
      ->required();
  command->add_option("--target", options.target_url,
                      "Target database, e.g. sqlite:target.db")
      ->required();
  command->add_option("--contract", options.contract_files,
                      "Mapping contract(s) of the job")
      ->required();
  command->add_flag("--json", options.json, "Print the report as JSON");
  command->add_flag("--strict", options.strict,
                    "Exit 1 on warnings too (log rows for keys not in the "
                    "source)");
  command->callback([&] { exit_code = run_verify(options); });
}

int run_verify(const verify_options& options) {
  auto log = infra::logger("verify");
  auto contracts = load_contracts(options.contract_files);
  if (!contracts) {
    return exit_usage;
  }
  verify_report report;
  auto stores = open_stores(options, *contracts, report, *log);
  if (!stores) {
    return exit_usage;
  }
  try {
    verifier{*stores->target, *stores->source, *contracts, stores->key_column}
        .gather(report);
  } catch (const database_failure& failure) {
    log->error("verification stopped: {}", failure.what());
    return exit_database;
  }
  if (options.json) {
    print_json(report, std::cout);
  } else {
    print_text(report, std::cout);
  }
  const bool failed = report.count(false) > 0 ||
                      (options.strict && report.count(true) > 0);
  return failed ? exit_inconsistent : exit_consistent;
}

}  // namespace xmlshred::app
