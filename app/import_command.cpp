#include "app/import_command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "app/contract_loading.hpp"
#include "app/source_opening.hpp"
#include "domain/document_mapper.hpp"
#include "infra/logging.hpp"
#include "infra/source_store.hpp"
#include "infra/xml_document.hpp"

namespace xmlshred::app {
namespace {

namespace fs = std::filesystem;

constexpr int exit_ok = 0;
constexpr int exit_partial = 1;
constexpr int exit_usage = 2;
/// Imports are committed in groups so a huge import does not hold one
/// transaction open for hours.
constexpr std::size_t files_per_commit = 500;

struct import_counts {
  std::size_t loaded = 0;
  std::size_t present = 0;
  std::size_t unreadable = 0;
};

/// The XML files named on the command line, folders expanded, in order.
std::vector<fs::path> collect_files(const std::vector<std::string>& paths,
                                    std::vector<std::string>& missing) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().extension() == ".xml") {
          found.push_back(entry.path());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, error)) {
      files.emplace_back(path);
    } else {
      missing.push_back(path);
    }
  }
  return files;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

/// The document's key, read through the first contract that yields one;
/// otherwise the reason it cannot be read.
std::variant<domain::record_key, std::string> read_key(
    const domain::document_router& router, const std::string& text) {
  auto parsed = infra::parse_xml(text);
  if (auto* problem = std::get_if<infra::xml_parse_error>(&parsed)) {
    return std::string{domain::to_string(problem->category)} + ": " +
           problem->message;
  }
  const auto& document = *std::get<infra::xml_doc_ptr>(parsed);
  for (const auto& mapper : router.mappers()) {
    if (auto key = mapper.read_key(document)) {
      return *key;
    }
  }
  return std::string{"missing_key: no identity value where the contract "
                     "expects it"};
}

void import_one(infra::source_store& store,
                const domain::document_router& router, const fs::path& file,
                import_counts& counts, spdlog::logger& log) {
  auto text = read_file(file);
  if (!text) {
    log.error("not loaded file={} reason=cannot read the file", file.string());
    ++counts.unreadable;
    return;
  }
  auto key = read_key(router, *text);
  if (auto* reason = std::get_if<std::string>(&key)) {
    log.error("not loaded file={} reason={}", file.string(), *reason);
    ++counts.unreadable;
    return;
  }
  const auto record_key = std::get<domain::record_key>(key);
  auto outcome = store.import_document(record_key, *text);
  if (!outcome) {
    log.error("not loaded file={} key={} reason={}", file.string(),
              record_key, outcome.error().message);
    ++counts.unreadable;
  } else if (outcome.value() == infra::import_outcome::already_present) {
    log.warn("skipped file={} key={} reason=key already in the source",
             file.string(), record_key);
    ++counts.present;
  } else {
    ++counts.loaded;
  }
}

}  // namespace

void add_import_command(CLI::App& parent, import_options& options,
                        int& exit_code) {
  auto* command = parent.add_subcommand(
      "import", "Load XML files or folders into the source table");
  command->add_option("paths", options.paths, "XML files or folders")
      ->required();
  command->add_option("--source", options.source_url,
                      "Source database, e.g. sqlite:source.db")
      ->required();
  command->add_option("--contract", options.contract_files,
                      "Mapping contract(s); the first names the source "
                      "table and its columns")
      ->required();
  command->callback([&] { exit_code = run_import(options); });
}

int run_import(const import_options& options) {
  auto log = infra::logger("import");
  auto contracts = load_contracts(options.contract_files);
  if (!contracts) {
    return exit_usage;
  }
  std::vector<std::string> missing;
  auto files = collect_files(options.paths, missing);
  for (const auto& path : missing) {
    log->error("no such file or folder: {}", path);
  }
  if (!missing.empty()) {
    return exit_usage;
  }
  auto store = open_source_for_loading(options.source_url,
                                       *contracts->front(), *log);
  if (!store) {
    return exit_usage;
  }

  domain::document_router router{*contracts};
  import_counts counts;
  for (std::size_t first = 0; first < files.size();
       first += files_per_commit) {
    const auto last = std::min(files.size(), first + files_per_commit);
    auto group = store->begin_import();
    for (auto index = first; group && index < last; ++index) {
      import_one(*store, router, files[index], counts, *log);
    }
    if (group) {
      group = store->commit_import();
    }
    if (!group) {
      log->error("import stopped, files from {} on not committed: {}",
                 files[first].string(), group.error().message);
      return exit_partial;
    }
  }
  log->info("import finished files={} loaded={} already_present={} "
            "not_loaded={}",
            files.size(), counts.loaded, counts.present, counts.unreadable);
  return counts.unreadable > 0 ? exit_partial : exit_ok;
}

}  // namespace xmlshred::app
