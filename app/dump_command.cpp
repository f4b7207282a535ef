#include "app/dump_command.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <set>
#include <variant>

#include "app/contract_loading.hpp"
#include "infra/canonical_value.hpp"
#include "infra/logging.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/target_inspector.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;
constexpr int exit_database = 3;
constexpr const char* format_line = "# xmlshred dump 1";
constexpr char field_separator = '\t';

// processing_log columns that differ from run to run for the same data;
// `attempts` also counts tries cut short by crashes of the process, which
// a resumed job has and a clean run has not.
const std::set<std::string> run_dependent_log_columns{
    "run_id", "started_at", "finished_at", "duration_ms", "attempts"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

/// A contract mapping writes `table`.`column`; `required_only` keeps only
/// mappings that must yield a value (the column default never applies).
bool mapped(const contract_list& contracts, const std::string& table,
            const std::string& column, bool required_only) {
  for (const auto& c : contracts) {
    for (const auto& mapping : c->mappings) {
      if (lower(mapping.target_table) == lower(table) &&
          lower(mapping.target_column) == lower(column) &&
          (!required_only || mapping.required)) {
        return true;
      }
    }
  }
  return false;
}

/// Whether the database rather than the contract may have chosen the
/// column's values, so they differ between runs over the same documents.
bool run_dependent(const contract_list& contracts, const std::string& table,
                   const infra::column_info& column) {
  if (table == infra::processing_log_table) {
    return run_dependent_log_columns.count(lower(column.name)) > 0;
  }
  if (column.database_assigned &&
      !mapped(contracts, table, column.name, false /*required_only*/)) {
    return true;
  }
  return column.insert_time_default &&
         !mapped(contracts, table, column.name, true /*required_only*/);
}

/// The columns a table's section shows, sorted by name, and those left out.
struct section_columns {
  std::vector<infra::column_info> shown;
  std::vector<std::string> left_out;
};

section_columns choose_columns(const contract_list& contracts,
                               const std::string& table,
                               std::vector<infra::column_info> columns) {
  std::sort(columns.begin(), columns.end(), [](const auto& a, const auto& b) {
    return lower(a.name) < lower(b.name);
  });
  section_columns chosen;
  for (auto& column : columns) {
    if (run_dependent(contracts, table, column)) {
      chosen.left_out.push_back(lower(column.name));
    } else {
      chosen.shown.push_back(std::move(column));
    }
  }
  return chosen;
}

std::string joined_names(const std::vector<std::string>& names, char sep) {
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "" : std::string(1, sep)) + name;
  }
  return text;
}

/// Writes one table's section; false (after logging) on a database error.
bool dump_table(infra::target_inspector& inspector,
                const contract_list& contracts, const std::string& table,
                std::ostream& out, spdlog::logger& log) {
  auto columns = inspector.columns(table);
  auto rows = inspector.count_rows(table);
  if (!columns || !rows) {
    log.error("{}", (!columns ? columns.error() : rows.error()).message);
    return false;
  }
  const auto chosen = choose_columns(contracts, table, columns.value());
  std::vector<std::string> names;
  for (const auto& column : chosen.shown) {
    names.push_back(lower(column.name));
  }
  out << "\n== " << lower(table) << " rows=" << rows.value() << '\n'
      << "# columns: " << joined_names(names, field_separator) << '\n';
  if (!chosen.left_out.empty()) {
    out << "# left out: " << joined_names(chosen.left_out, field_separator)
        << '\n';
  }

  std::string line;
  auto read = inspector.read_rows(table, chosen.shown,
                                  [&](const infra::text_row& row) {
    line.clear();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) {
        line += field_separator;
      }
      line += infra::canonical_cell(chosen.shown[i].kind, row[i]);
    }
    out << line << '\n';
  });
  if (!read) {
    log.error("{}", read.error().message);
    return false;
  }
  return true;
}

/// Contract tables in insertion order, then processing_log; narrowed to
/// `wanted` when given. nullopt (after logging) for an unknown name.
std::optional<std::vector<std::string>> dump_tables(
    const contract_list& contracts, const std::vector<std::string>& wanted,
    spdlog::logger& log) {
  auto tables = infra::contract_tables(contracts);
  tables.emplace_back(infra::processing_log_table);
  if (wanted.empty()) {
    return tables;
  }
  for (const auto& name : wanted) {
    if (std::find(tables.begin(), tables.end(), name) == tables.end()) {
      log.error("--table {}: not a table of the given contracts nor {}", name,
                infra::processing_log_table);
      return std::nullopt;
    }
  }
  std::vector<std::string> chosen;
  for (const auto& table : tables) {
    if (std::find(wanted.begin(), wanted.end(), table) != wanted.end()) {
      chosen.push_back(table);
    }
  }
  return chosen;
}

std::unique_ptr<infra::target_inspector> open_target(
    const std::string& url_text, const contract_list& contracts,
    spdlog::logger& log) {
  auto url = infra::parse_database_url(url_text);
  if (auto* problem = std::get_if<std::string>(&url)) {
    log.error("--target: {}", *problem);
    return nullptr;
  }
  auto layout = infra::resolve_target_layout(contracts);
  if (!layout) {
    log.error("{}", layout.error().message);
    return nullptr;
  }
  auto inspector = infra::target_inspector::open(
      std::get<infra::database_url>(url), layout.value());
  if (!inspector) {
    log.error("cannot open the target: {}", inspector.error().message);
    return nullptr;
  }
  return std::move(inspector.value());
}

int write_dump(infra::target_inspector& inspector,
               const contract_list& contracts,
               const std::vector<std::string>& tables, std::ostream& out,
               spdlog::logger& log) {
  out << format_line << '\n';
  for (const auto& table : tables) {
    auto exists = inspector.has_table(table);
    if (!exists) {
      log.error("{}", exists.error().message);
      return exit_database;
    }
    if (!exists.value()) {
      log.info("table {} is not in the target: left out of the dump", table);
      continue;
    }
    if (!dump_table(inspector, contracts, table, out, log)) {
      return exit_database;
    }
  }
  out.flush();
  return out ? exit_ok : exit_database;
}

}  // namespace

void add_dump_command(CLI::App& parent, dump_options& options,
                      int& exit_code) {
  auto* command = parent.add_subcommand(
      "dump", "Write the target tables as canonical text, for diff");
  command->add_option("--target", options.target_url,
                      "Target database, e.g. sqlite:target.db")
      ->required();
  command->add_option("--contract", options.contract_files,
                      "Mapping contract(s) whose tables are dumped")
      ->required();
  command->add_option("--table", options.tables,
                      "Dump only this table (repeatable)");
  command->add_option("--out", options.out_file,
                      "Write the dump to this file instead of stdout");
  command->callback([&] { exit_code = run_dump(options); });
}

int run_dump(const dump_options& options) {
  auto log = infra::logger("dump");
  auto contracts = load_contracts(options.contract_files);
  if (!contracts) {
    return exit_usage;
  }
  auto tables = dump_tables(*contracts, options.tables, *log);
  if (!tables) {
    return exit_usage;
  }
  auto inspector = open_target(options.target_url, *contracts, *log);
  if (!inspector) {
    return exit_usage;
  }
  if (options.out_file.empty()) {
    return write_dump(*inspector, *contracts, *tables, std::cout, *log);
  }
  std::ofstream out{options.out_file, std::ios::binary | std::ios::trunc};
  if (!out) {
    log->error("--out {}: cannot write the file", options.out_file);
    return exit_usage;
  }
  return write_dump(*inspector, *contracts, *tables, out, *log);
}

}  // namespace xmlshred::app
