#include "app/requeue_command.hpp"

#include <iostream>
#include <variant>

#include <spdlog/fmt/fmt.h>

#include "app/contract_loading.hpp"
#include "infra/logging.hpp"
#include "infra/requeue_store.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;
constexpr int exit_database = 3;
/// Keys listed in the printed summary; the count says how many in all.
constexpr std::size_t keys_shown = 20;
constexpr int table_width = 28;

/// The one selector given, or nullopt (after logging) when there is not
/// exactly one.
std::optional<infra::requeue_selector> selector_of(
    const requeue_options& options, spdlog::logger& log) {
  const int given = (options.keys.empty() ? 0 : 1) +
                    (options.category ? 1 : 0) + (options.status ? 1 : 0);
  if (given != 1) {
    log.error("give exactly one of --key, --category and --status");
    return std::nullopt;
  }
  infra::requeue_selector selector;
  if (!options.keys.empty()) {
    selector.kind = infra::requeue_selector::by::keys;
    selector.keys = options.keys;
  } else if (options.category) {
    selector.kind = infra::requeue_selector::by::category;
    selector.value = *options.category;
  } else {
    selector.kind = infra::requeue_selector::by::record_status;
    selector.value = *options.status;
  }
  return selector;
}

std::string key_summary(const infra::requeue_report& report) {
  std::string text;
  for (std::size_t i = 0; i < report.records.size() && i < keys_shown; ++i) {
    text += (i == 0 ? "" : ", ") + std::to_string(report.records[i].key);
  }
  if (report.records.size() > keys_shown) {
    text += fmt::format(" (+{} more)", report.records.size() - keys_shown);
  }
  return text;
}

void print_report(const infra::requeue_report& report,
                  const std::string& selector, std::ostream& out) {
  std::size_t unlogged = 0;
  for (const auto& record : report.records) {
    unlogged += record.status ? 0 : 1;
  }
  out << (report.dry_run ? "would requeue " : "requeued ")
      << report.records.size() << " record(s) selected by " << selector
      << '\n';
  if (!report.records.empty()) {
    out << "  keys: " << key_summary(report) << '\n';
  }
  if (unlogged > 0) {
    out << "  " << unlogged << " of them had no processing_log row\n";
  }
  out << (report.dry_run ? "rows that would be deleted\n" : "rows deleted\n");
  for (const auto& [table, rows] : report.rows_deleted) {
    out << fmt::format("  {:<{}} {:>10}\n", table, table_width, rows);
  }
}

}  // namespace

void add_requeue_command(CLI::App& parent, requeue_options& options,
                         int& exit_code) {
  auto* command = parent.add_subcommand(
      "requeue", "Make records eligible for the next run again");
  command->add_option("--target", options.target_url,
                      "Target database, e.g. sqlite:target.db")
      ->required();
  command->add_option("--contract", options.contract_files,
                      "Mapping contract(s) whose tables hold the rows")
      ->required();
  command->add_option("--key", options.keys,
                      "Requeue this key, whatever its status (repeatable)")
      ->delimiter(',');
  command->add_option("--category", options.category,
                      "Requeue every record logged with this category, "
                      "e.g. crash");
  command->add_option("--status", options.status,
                      "Requeue every record logged failed or rejected")
      ->check(CLI::IsMember({"failed", "rejected"}));
  command->add_flag("--dry-run", options.dry_run,
                    "Only count what would be requeued; change nothing");
  command->callback([&] { exit_code = run_requeue(options); });
}

int run_requeue(const requeue_options& options) {
  auto log = infra::logger("requeue");
  auto selector = selector_of(options, *log);
  auto contracts = load_contracts(options.contract_files);
  if (!selector || !contracts) {
    return exit_usage;
  }
  auto url = infra::parse_database_url(options.target_url);
  if (auto* problem = std::get_if<std::string>(&url)) {
    log->error("--target: {}", *problem);
    return exit_usage;
  }
  auto store = infra::requeue_store::open(
      std::get<infra::database_url>(url), *contracts);
  if (!store) {
    log->error("cannot open the target: {}", store.error().message);
    return exit_usage;
  }
  auto report = store.value()->requeue(*selector, options.dry_run);
  if (!report) {
    log->error("requeue rolled back, nothing changed: {}",
               report.error().message);
    return exit_database;
  }
  for (const auto& table : report.value().unlinked_tables) {
    log->warn("table {} left as it is: its rows cannot be tied to a key "
              "(no key column, no relationship to a table with one)",
              table);
  }
  log->info("requeue {} selector={} records={}",
            options.dry_run ? "dry run" : "committed", selector->describe(),
            report.value().records.size());
  print_report(report.value(), selector->describe(), std::cout);
  return exit_ok;
}

}  // namespace xmlshred::app
