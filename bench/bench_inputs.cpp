#include "bench/bench_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "infra/document_generator.hpp"
#include "infra/source_store.hpp"
#include "infra/xml_document.hpp"

namespace xmlshred::bench {
namespace {

namespace fs = std::filesystem;

/// Documents per committed transaction while loading the source.
constexpr std::size_t documents_per_commit = 200;
/// Contact ids per record key when ids are rewritten; key * 64 stays within
/// a 32-bit int column for keys up to 33 million.
constexpr std::int64_t contact_ids_per_key = 64;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

/// The key the router reads from `xml`, if the document parses and has one.
std::optional<domain::record_key> read_key(
    const domain::document_router& router, const std::string& xml) {
  auto parsed = infra::parse_xml(xml);
  if (!std::holds_alternative<infra::xml_doc_ptr>(parsed)) {
    return std::nullopt;
  }
  const auto& document = *std::get<infra::xml_doc_ptr>(parsed);
  for (const auto& mapper : router.mappers()) {
    if (auto key = mapper.read_key(document)) {
      return key;
    }
  }
  return std::nullopt;
}

std::vector<pool_document> read_samples(const std::string& dir,
                                        const domain::document_router& router) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".xml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<pool_document> samples;
  for (const auto& file : files) {
    auto text = read_text(file);
    if (!text) {
      continue;
    }
    if (auto key = read_key(router, *text)) {
      samples.push_back({*key, std::move(*text)});
    }
  }
  return samples;
}

/// Attributes the contract uses as contact identities: every
/// identity_insert mapping but the record key's.
std::vector<std::string> contact_id_attributes(const domain::contract& rules) {
  std::vector<std::string> names;
  for (const auto& mapping : rules.mappings) {
    const bool identity =
        std::find(mapping.mapping_types.begin(), mapping.mapping_types.end(),
                  "identity_insert") != mapping.mapping_types.end();
    if (identity && &mapping != &rules.key_mapping() &&
        std::find(names.begin(), names.end(), mapping.xml_attribute) ==
            names.end()) {
      names.push_back(mapping.xml_attribute);
    }
  }
  return names;
}

std::vector<pool_document> generate(const domain::contract& rules,
                                    std::size_t count, std::uint64_t seed) {
  infra::generator_options options;
  options.seed = seed;
  const infra::document_generator generator{rules, options};
  std::vector<pool_document> documents;
  documents.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto document = generator.generate(i);
    documents.push_back({document.key, std::move(document.xml)});
  }
  return documents;
}

}  // namespace

std::optional<input_mix> parse_input_mix(std::string_view text) {
  if (text == "samples") {
    return input_mix::samples;
  }
  if (text == "generated") {
    return input_mix::generated;
  }
  if (text == "mixed") {
    return input_mix::mixed;
  }
  return std::nullopt;
}

std::string_view to_string(input_mix mix) {
  switch (mix) {
    case input_mix::samples: return "samples";
    case input_mix::generated: return "generated";
    case input_mix::mixed: return "mixed";
  }
  return "unknown";
}

document_pool::document_pool(std::vector<pool_document> samples,
                             std::vector<pool_document> generated,
                             input_mix mix)
    : samples_(std::move(samples)), generated_(std::move(generated)),
      mix_(mix) {}

const pool_document& document_pool::at(std::size_t index) const {
  switch (mix_) {
    case input_mix::samples:
      return samples_[index % samples_.size()];
    case input_mix::generated:
      return generated_[index % generated_.size()];
    case input_mix::mixed:
      break;
  }
  const auto half = index / 2;
  return index % 2 == 0 ? samples_[half % samples_.size()]
                        : generated_[half % generated_.size()];
}

std::size_t document_pool::bytes(std::size_t count) const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    total += at(i).xml.size();
  }
  return total;
}

std::optional<document_pool> build_pool(const pool_spec& spec,
                                        const domain::contract& rules,
                                        const domain::document_router& router,
                                        std::string& problem) {
  std::vector<pool_document> samples;
  std::vector<pool_document> generated;
  if (spec.mix != input_mix::generated) {
    samples = read_samples(spec.samples_dir, router);
    if (samples.empty()) {
      problem = "no sample document with a readable key in " +
                spec.samples_dir;
      return std::nullopt;
    }
  }
  if (spec.mix != input_mix::samples) {
    if (spec.generated_count == 0) {
      problem = "the generated pool must hold at least one document";
      return std::nullopt;
    }
    generated = generate(rules, spec.generated_count, spec.seed);
  }
  return document_pool{std::move(samples), std::move(generated), spec.mix};
}

std::optional<std::string> with_key(std::string_view xml,
                                    const domain::mapping_spec& key_mapping,
                                    domain::record_key key) {
  const auto& path = key_mapping.xml_path;
  const auto element = "<" + path.substr(path.rfind('/') + 1);
  const auto attribute = " " + key_mapping.xml_attribute + "=\"";

  // The element's start tag: its name followed by a blank or '>'.
  auto start = xml.find(element);
  while (start != std::string_view::npos) {
    const auto after = xml[start + element.size()];
    if (after == ' ' || after == '\n' || after == '\t' || after == '>') {
      break;
    }
    start = xml.find(element, start + 1);
  }
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  const auto tag_end = xml.find('>', start);
  const auto at = xml.find(attribute, start);
  if (at == std::string_view::npos || at > tag_end) {
    return std::nullopt;
  }
  const auto value = at + attribute.size();
  const auto value_end = xml.find('"', value);
  std::string result;
  result.reserve(xml.size() + 8);
  result.append(xml.substr(0, value));
  result += std::to_string(key);
  result.append(xml.substr(value_end));
  return result;
}

std::string with_contact_ids(std::string xml, const std::string& attribute,
                             domain::record_key key) {
  const auto marker = " " + attribute + "=\"";
  std::vector<std::string> seen;
  std::string result;
  result.reserve(xml.size() + 64);
  std::size_t copied = 0;
  for (auto at = xml.find(marker); at != std::string::npos;
       at = xml.find(marker, at + 1)) {
    const auto value = at + marker.size();
    const auto end = xml.find('"', value);
    if (end == std::string::npos || end == value) {
      continue;  // an empty id stays empty: the contact stays invalid
    }
    const auto original = xml.substr(value, end - value);
    auto found = std::find(seen.begin(), seen.end(), original);
    if (found == seen.end()) {
      found = seen.insert(seen.end(), original);
    }
    const auto ordinal = static_cast<std::int64_t>(found - seen.begin());
    result.append(xml, copied, value - copied);
    result += std::to_string(key * contact_ids_per_key +
                             ordinal % contact_ids_per_key);
    copied = end;
  }
  result.append(xml, copied, std::string::npos);
  return result;
}

std::optional<std::string> load_source(const document_pool& pool,
                                       std::size_t count,
                                       domain::record_key first_key,
                                       const std::string& source_url,
                                       const domain::contract& rules) {
  auto url = infra::parse_database_url(source_url);
  if (auto* problem = std::get_if<std::string>(&url)) {
    return *problem;
  }
  infra::source_table_spec table{rules.source_table, rules.key_column(),
                                 rules.source_column};
  auto store = infra::source_store::open(std::get<infra::database_url>(url),
                                         table);
  if (!store) {
    return store.error().message;
  }
  auto& source = *store.value();
  if (auto created = source.ensure_table(); !created) {
    return created.error().message;
  }
  const auto id_attributes = contact_id_attributes(rules);
  for (std::size_t first = 0; first < count; first += documents_per_commit) {
    if (auto begun = source.begin_import(); !begun) {
      return begun.error().message;
    }
    const auto last = std::min(count, first + documents_per_commit);
    for (auto i = first; i < last; ++i) {
      const auto key = first_key + static_cast<domain::record_key>(i);
      auto text = with_key(pool.at(i).xml, rules.key_mapping(), key);
      if (!text) {
        return "a pool document has no key attribute to rewrite";
      }
      for (const auto& attribute : id_attributes) {
        *text = with_contact_ids(std::move(*text), attribute, key);
      }
      if (auto stored = source.import_document(key, *text); !stored) {
        return stored.error().message;
      }
    }
    if (auto committed = source.commit_import(); !committed) {
      return committed.error().message;
    }
  }
  return std::nullopt;
}

}  // namespace xmlshred::bench
