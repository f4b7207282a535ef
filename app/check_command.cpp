#include "app/check_command.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <variant>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/schema_comparison.hpp"
#include "infra/target_inspector.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_clean = 0;
constexpr int exit_problems = 2;
constexpr int exit_database = 3;
/// The json path of a finding about the contracts taken together.
constexpr const char* whole_file = "/";

using contract_list = std::vector<std::shared_ptr<const domain::contract>>;

/// Counts what it prints so the summary and the exit code agree.
class finding_printer {
 public:
  explicit finding_printer(std::ostream& out) : out_(out) {}

  void print(bool warning, const std::string& file, const std::string& path,
             const std::string& message) {
    out_ << (warning ? "warning: " : "error: ") << file << ": " << path
         << ": " << message << '\n';
    ++(warning ? warnings_ : problems_);
  }
  std::size_t problems() const { return problems_; }
  std::size_t warnings() const { return warnings_; }

 private:
  std::ostream& out_;
  std::size_t problems_ = 0;
  std::size_t warnings_ = 0;
};

// Each file is loaded on its own so that every problem of every file is
// listed, not just those of the first broken one.
contract_list load_each(const std::vector<std::string>& files,
                        finding_printer& printer) {
  contract_list loaded;
  for (const auto& file : files) {
    auto result = domain::load_contract_file(file);
    for (const auto& problem : result.problems) {
      printer.print(false, file, problem.json_path, problem.message);
    }
    for (const auto& warning : result.warnings) {
      printer.print(true, file, whole_file, warning);
    }
    if (result.problems.empty() && result.loaded) {
      loaded.push_back(
          std::make_shared<const domain::contract>(std::move(*result.loaded)));
    }
  }
  return loaded;
}

// A job reads every document from the first contract's source table, so
// a contract naming another table would never see its documents there.
void check_together(const contract_list& contracts,
                    finding_printer& printer) {
  auto layout = infra::resolve_target_layout(contracts);
  if (!layout) {
    printer.print(false, contracts.front()->file, whole_file,
                  "the contracts cannot share one target: " +
                      layout.error().message);
  }
  const auto& first = *contracts.front();
  for (const auto& c : contracts) {
    if (c->source_table != first.source_table ||
        c->source_column != first.source_column) {
      printer.print(true, c->file, "/source_table",
                    "differs from " + first.file + "; a job with both reads " +
                        first.source_table + "." + first.source_column);
    }
  }
}

/// Compares with the live schema; returns the exit code when the check
/// cannot be made, nothing otherwise.
std::optional<int> check_target(const std::string& url_text,
                                const contract_list& contracts,
                                finding_printer& printer) {
  auto parsed = infra::parse_database_url(url_text);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    std::cerr << "--target: " << *error << '\n';
    return exit_problems;
  }
  const auto& url = std::get<infra::database_url>(parsed);

  // The layout only names the schema and key column for the queries; a
  // disagreement between contracts is already reported.
  auto layout = infra::resolve_target_layout(contracts);
  infra::target_layout scope{contracts.front()->target_schema,
                             contracts.front()->key_column()};
  auto target = infra::target_inspector::open(url, layout ? layout.value()
                                                          : scope);
  if (!target) {
    std::cerr << "cannot read the target: " << target.error().message << '\n';
    return exit_database;
  }
  auto findings = infra::compare_with_target(*target.value(), contracts);
  if (!findings) {
    std::cerr << "cannot read the target: " << findings.error().message
              << '\n';
    return exit_database;
  }
  for (const auto& f : findings.value()) {
    printer.print(f.warning, f.file, f.json_path, f.message);
  }
  return std::nullopt;
}

}  // namespace

void add_check_command(CLI::App& parent, check_options& options,
                       int& exit_code) {
  auto* command = parent.add_subcommand(
      "check", "Validate contracts, optionally against a target's schema");
  command->add_option("--contract", options.contract_files,
                      "Mapping contract(s) to check together")
      ->required();
  command->add_option("--target", options.target_url,
                      "Target database to compare with, e.g. "
                      "sqlite:target.db (read only)");
  command->callback([&] { exit_code = run_check(options); });
}

int run_check(const check_options& options) {
  finding_printer printer(std::cout);
  const auto contracts = load_each(options.contract_files, printer);

  // The files that loaded are still checked together and against the
  // target, so one run lists everything to fix.
  if (!contracts.empty()) {
    check_together(contracts, printer);
  }
  if (!contracts.empty() && !options.target_url.empty()) {
    if (auto stopped = check_target(options.target_url, contracts, printer)) {
      return *stopped;
    }
  }
  std::cout << options.contract_files.size() << " contract(s) checked"
            << (options.target_url.empty() ? "" : " against the target")
            << ": " << printer.problems() << " problem(s), "
            << printer.warnings() << " warning(s)\n";
  return printer.problems() > 0 ? exit_problems : exit_clean;
}

}  // namespace xmlshred::app
