#include "app/contract_loading.hpp"

#include "infra/logging.hpp"

namespace xmlshred::app {

std::optional<contract_list> load_contracts(
    const std::vector<std::string>& files) {
  auto log = infra::logger("contract");
  contract_list loaded;
  bool any_problem = false;
  for (const auto& file : files) {
    auto result = domain::load_contract_file(file);
    for (const auto& problem : result.problems) {
      log->error("{}: {}: {}", file, problem.json_path, problem.message);
    }
    for (const auto& warning : result.warnings) {
      log->warn("{}: {}", file, warning);
    }
    if (!result.problems.empty() || !result.loaded) {
      any_problem = true;
      continue;
    }
    loaded.push_back(
        std::make_shared<const domain::contract>(std::move(*result.loaded)));
  }
  if (any_problem) {
    return std::nullopt;
  }
  return loaded;
}

}  // namespace xmlshred::app
