#include "app/generate_command.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <variant>

#include "app/contract_loading.hpp"
#include "app/source_opening.hpp"
#include "infra/document_generator.hpp"
#include "infra/logging.hpp"
#include "infra/source_store.hpp"

namespace xmlshred::app {
namespace {

namespace fs = std::filesystem;

constexpr int exit_ok = 0;
constexpr int exit_partial = 1;
constexpr int exit_usage = 2;
/// Documents per committed transaction when writing into a source: large
/// enough to amortise the commit, small enough to keep the journal short.
constexpr std::size_t documents_per_commit = 200;
/// A progress line every this many documents.
constexpr std::size_t progress_every = 10'000;
constexpr double bytes_per_mb = 1024.0 * 1024.0;

/// Where generated documents go: one file each, or the source table.
class document_sink {
 public:
  virtual ~document_sink() = default;
  /// Stores one document; false (after logging why) stops generation.
  virtual bool put(const infra::generated_document& document) = 0;
  /// Flushes what is pending; false after logging why.
  virtual bool finish() = 0;
};

class folder_sink : public document_sink {
 public:
  folder_sink(fs::path dir, spdlog::logger& log)
      : dir_(std::move(dir)), log_(log) {}

  bool put(const infra::generated_document& document) override {
    const auto file =
        dir_ / ("generated-" + std::to_string(document.key) + ".xml");
    std::ofstream out{file, std::ios::binary | std::ios::trunc};
    out.write(document.xml.data(),
              static_cast<std::streamsize>(document.xml.size()));
    if (!out) {
      log_.error("cannot write file={}", file.string());
      return false;
    }
    return true;
  }
  bool finish() override { return true; }

 private:
  fs::path dir_;
  spdlog::logger& log_;
};

class source_sink : public document_sink {
 public:
  source_sink(std::unique_ptr<infra::source_store> store, spdlog::logger& log)
      : store_(std::move(store)), log_(log) {}

  bool put(const infra::generated_document& document) override {
    if (pending_ == 0 && !check(store_->begin_import(), document.key)) {
      return false;
    }
    auto outcome = store_->import_document(document.key, document.xml);
    if (!outcome) {
      log_.error("not stored key={} reason={}", document.key,
                 outcome.error().message);
      return false;
    }
    if (outcome.value() == infra::import_outcome::already_present) {
      log_.warn("skipped key={} reason=key already in the source",
                document.key);
    }
    if (++pending_ == documents_per_commit) {
      pending_ = 0;
      return check(store_->commit_import(), document.key);
    }
    return true;
  }

  bool finish() override {
    return pending_ == 0 || check(store_->commit_import(), 0);
  }

 private:
  bool check(const infra::status& done, std::int64_t key) {
    if (!done) {
      log_.error("source transaction failed near key={}: {}", key,
                 done.error().message);
    }
    return done.ok();
  }

  std::unique_ptr<infra::source_store> store_;
  spdlog::logger& log_;
  std::size_t pending_ = 0;
};

std::unique_ptr<document_sink> open_source_sink(const std::string& url_text,
                                                const domain::contract& rules,
                                                spdlog::logger& log) {
  auto store = open_source_for_loading(url_text, rules, log);
  if (!store) {
    return nullptr;
  }
  return std::make_unique<source_sink>(std::move(store), log);
}

std::unique_ptr<document_sink> open_sink(const generate_options& options,
                                         const domain::contract& rules,
                                         spdlog::logger& log) {
  if (options.source_url) {
    return open_source_sink(*options.source_url, rules, log);
  }
  std::error_code error;
  fs::create_directories(*options.out_dir, error);
  if (error) {
    log.error("cannot create folder={}: {}", *options.out_dir,
              error.message());
    return nullptr;
  }
  return std::make_unique<folder_sink>(*options.out_dir, log);
}

/// Makes and stores the documents one at a time, so nothing is kept once
/// it is written; logs progress and the totals per defect kind.
bool write_all(const infra::document_generator& generator,
               const generate_options& options, document_sink& sink,
               spdlog::logger& log) {
  std::array<std::size_t, infra::defect_kind_count> by_defect{};
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < options.count; ++i) {
    const auto document = generator.generate(i);
    if (!sink.put(document)) {
      return false;
    }
    ++by_defect[static_cast<std::size_t>(document.defect)];
    bytes += document.xml.size();
    if ((i + 1) % progress_every == 0) {
      log.info("generated documents={} mb={:.1f}", i + 1,
               static_cast<double>(bytes) / bytes_per_mb);
    }
  }
  if (!sink.finish()) {
    return false;
  }

  std::string defects;
  for (std::size_t k = 1; k < by_defect.size(); ++k) {
    defects += fmt::format(
        " {}={}", infra::to_string(static_cast<infra::defect_kind>(k)),
        by_defect[k]);
  }
  log.info("generate finished documents={} mb={:.1f} first_key={} seed={}{}",
           options.count, static_cast<double>(bytes) / bytes_per_mb,
           options.first_key, options.seed, defects);
  return true;
}

}  // namespace

void add_generate_command(CLI::App& parent, generate_options& options,
                          int& exit_code) {
  auto* command = parent.add_subcommand(
      "generate", "Write synthetic credit-application documents for load "
                  "tests");
  command->add_option("--count", options.count, "Number of documents")
      ->required();
  command->add_option("--seed", options.seed,
                      "Seed; the same seed gives the same documents");
  command->add_option("--first-key", options.first_key,
                      "Key of the first document (default 10000000)");
  command->add_option("--defect-rate", options.defect_rate,
                      "Share of documents with a planted defect, 0..1")
      ->check(CLI::Range(0.0, 1.0));
  auto* out = command->add_option("--out", options.out_dir,
                                  "Folder for generated-KEY.xml files");
  auto* source = command->add_option(
      "--source", options.source_url,
      "Source database to load instead, e.g. sqlite:source.db");
  out->excludes(source);
  command->add_option("--contract", options.contract_file,
                      "Contract whose mappings shape the documents "
                      "(default examples/contracts/credit_card.json)");
  command->callback([&] { exit_code = run_generate(options); });
}

int run_generate(const generate_options& options) {
  auto log = infra::logger("generate");
  if (!options.out_dir && !options.source_url) {
    log->error("give --out FOLDER or --source URL");
    return exit_usage;
  }
  auto contracts = load_contracts({options.contract_file});
  if (!contracts) {
    return exit_usage;
  }
  const auto& rules = *contracts->front();
  auto sink = open_sink(options, rules, *log);
  if (!sink) {
    return exit_usage;
  }

  infra::generator_options settings;
  settings.seed = options.seed;
  settings.first_key = options.first_key;
  settings.defect_rate = options.defect_rate;
  const infra::document_generator generator{rules, settings};
  return write_all(generator, options, *sink, *log) ? exit_ok : exit_partial;
}

}  // namespace xmlshred::app
