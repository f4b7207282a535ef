#include "infra/document_generator.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace xmlshred::infra {
namespace {

// -- sizes and shares --------------------------------------------------------

/// Spread of the log-normal size distribution (natural log): with a median
/// of 130 KB, one sigma spans about 48 KB to 350 KB, close to the corpus.
constexpr double size_sigma = 1.0;
/// Bytes kept free below max_bytes for the closing tags and the last entry.
constexpr std::size_t closing_slack = 4 * 1024;
/// Filler shares of the bytes left after the application: reports first,
/// then journals up to this share, audits fill the rest.
constexpr double report_share = 0.3;
constexpr double journal_share = 0.8;
/// The corpus stores most documents with a UTF-8 byte-order mark.
constexpr double bom_share = 0.8;
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
/// Contact ids are derived from the record key, this many per document.
constexpr std::int64_t contacts_per_key = 10;
constexpr std::size_t max_extra_contacts = 2;
/// Over-long values exceed their column width by 1 to this many characters.
constexpr std::size_t max_overrun = 40;
/// Bytes of closing tags a not-well-formed document loses, at most.
constexpr std::size_t max_cut = 64;

// -- value ranges --------------------------------------------------------------

constexpr std::int64_t tinyint_max = 99;
constexpr std::int64_t smallint_max = 9999;
constexpr std::int64_t int_max = 99999;
constexpr std::int64_t operand_max = 11;
/// Percentages and rates land in NUMERIC(5,2) columns on PostgreSQL.
constexpr std::int64_t decimal_whole_max = 999;
constexpr int default_scale = 2;
constexpr int first_year = 2012;
constexpr int year_span = 12;
constexpr std::size_t default_digits = 9;
constexpr std::size_t unlimited_min = 8;
constexpr std::size_t unlimited_max = 40;
constexpr std::size_t text_max = 24;
constexpr std::size_t filler_text_min = 40;
constexpr std::size_t filler_text_max = 400;
constexpr std::size_t segments_max = 12;
constexpr std::uint64_t index_mix = 0x9E3779B97F4A7C15ULL;

constexpr std::string_view text_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_./";
constexpr std::array<std::string_view, 5> report_types = {
    "BUREAU", "IDENTITY", "FRAUD", "DEVICE", "INCOME"};

// -- randomness ------------------------------------------------------------

/// splitmix64: tiny, fast and identical on every platform, unlike the
/// standard distributions, so a seed means the same documents everywhere.
class random_source {
 public:
  explicit random_source(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += index_mix);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, bound); bound > 0.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  /// Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(
                     below(static_cast<std::uint64_t>(high - low + 1)));
  }
  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double probability) { return unit() < probability; }
  /// Standard normal (Box-Muller).
  double normal() {
    const double u = 1.0 - unit();
    const double v = unit();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
  }

 private:
  std::uint64_t state_;
};

// -- the plan ----------------------------------------------------------------

/// How an attribute's value is made. When several mappings read the same
/// attribute, the kind listed first wins (an enum key beats free text).
enum class value_kind {
  record_key,
  contact_key,
  choice,
  digits,
  amount_text,
  datetime,
  date,
  integer,
  decimal,
  text,
};

struct attribute_plan {
  std::string name;
  value_kind kind = value_kind::text;
  std::vector<std::string> choices;
  /// Maximum characters for text and digits (-1 unlimited); decimal scale.
  int length = -1;
  std::int64_t max_value = int_max;
};

/// Which values a repeated element (contact, address) cycles through.
struct repeat_plan {
  std::string code_attribute;
  std::vector<std::string> codes;
  /// True for the top rule (contacts): more elements, random later codes.
  bool top_level = false;
};

struct element_plan {
  std::string name;
  std::string path;
  std::vector<attribute_plan> attributes;
  std::vector<std::size_t> children;
  std::optional<repeat_plan> repeat;
};

}  // namespace

struct document_generator::plan {
  std::vector<element_plan> elements;
  std::size_t application = 0;
  /// The element holding the bulky sections (the application's
  /// grandparent: Request for the Provenir shape).
  std::size_t filler_host = 0;
};

namespace {

using plan_type = std::vector<element_plan>;

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? std::string{}
                                                  : path.substr(0, slash);
}

/// The element at `path`, created with its ancestors when missing.
std::size_t element_at(plan_type& elements, const std::string& path) {
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].path == path) {
      return i;
    }
  }
  const auto parent = parent_of(path);
  std::optional<std::size_t> parent_index;
  if (!parent.empty()) {
    parent_index = element_at(elements, parent);
  }
  element_plan element;
  element.path = path;
  element.name = path.substr(path.rfind('/') + 1);
  elements.push_back(std::move(element));
  const auto index = elements.size() - 1;
  if (parent_index) {
    elements[*parent_index].children.push_back(index);
  }
  return index;
}

bool has_type(const domain::mapping_spec& mapping, std::string_view type) {
  return std::any_of(mapping.mapping_types.begin(),
                     mapping.mapping_types.end(),
                     [&](const std::string& t) { return t == type; });
}

/// Keys of a bit conversion that are real flag texts (not blank, not
/// "null"), e.g. Y, N for char_to_bit.
std::vector<std::string> flag_texts(const domain::contract& rules,
                                    const std::string& conversion) {
  std::vector<std::string> texts;
  auto found = rules.bit_conversions.find(conversion);
  if (found == rules.bit_conversions.end()) {
    return texts;
  }
  for (const auto& [text, bit] : found->second) {
    const bool blank = text.find_first_not_of(' ') == std::string::npos;
    if (!blank && text != "null") {
      texts.push_back(text);
    }
  }
  return texts;
}

std::vector<std::string> enum_keys(const domain::contract& rules,
                                   const domain::mapping_spec& mapping) {
  const auto& table = mapping.enum_name.value_or(mapping.target_column);
  std::vector<std::string> keys;
  if (auto found = rules.enum_mappings.find(table);
      found != rules.enum_mappings.end()) {
    for (const auto& entry : found->second) {
      keys.push_back(entry.first);
    }
  }
  if (auto found = rules.enum_text_mappings.find(table);
      found != rules.enum_text_mappings.end()) {
    for (const auto& entry : found->second) {
      keys.push_back(entry.first);
    }
  }
  // The empty key is the table's default, not a value documents carry,
  // unless it is all the table has.
  if (keys.size() > 1) {
    keys.erase(std::remove(keys.begin(), keys.end(), ""), keys.end());
  }
  return keys;
}

attribute_plan typed_attribute(const domain::mapping_spec& mapping) {
  using domain::data_type;
  attribute_plan attribute;
  attribute.length = mapping.data_length.value_or(-1);
  switch (mapping.type) {
    case data_type::tinyint_type:
      attribute.kind = value_kind::integer;
      attribute.max_value = tinyint_max;
      break;
    case data_type::smallint_type:
      attribute.kind = value_kind::integer;
      attribute.max_value = smallint_max;
      break;
    case data_type::int_type:
    case data_type::bigint_type:
      attribute.kind = value_kind::integer;
      break;
    case data_type::decimal_type:
      attribute.kind = value_kind::decimal;
      attribute.length = mapping.data_length.value_or(default_scale);
      break;
    case data_type::datetime_type:
      attribute.kind = value_kind::datetime;
      break;
    case data_type::date_type:
      attribute.kind = value_kind::date;
      break;
    case data_type::bit_type:
      attribute.kind = value_kind::choice;
      attribute.choices = {"Y", "N"};
      break;
    case data_type::string_type:
      attribute.kind = value_kind::text;
      break;
  }
  return attribute;
}

/// The value recipe one mapping implies for its attribute.
attribute_plan attribute_for(const domain::contract& rules,
                             const domain::mapping_spec& mapping) {
  attribute_plan attribute;
  if (has_type(mapping, "identity_insert")) {
    const bool is_key = &mapping == &rules.key_mapping();
    attribute.kind = is_key ? value_kind::record_key : value_kind::contact_key;
  } else if (has_type(mapping, "enum")) {
    attribute.kind = value_kind::choice;
    attribute.choices = enum_keys(rules, mapping);
  } else if (has_type(mapping, "char_to_bit") ||
             has_type(mapping, "boolean_to_bit")) {
    attribute.kind = value_kind::choice;
    attribute.choices = flag_texts(
        rules, has_type(mapping, "char_to_bit") ? "char_to_bit"
                                                : "boolean_to_bit");
  } else if (has_type(mapping, "numbers_only")) {
    attribute.kind = value_kind::digits;
    attribute.length = mapping.data_length.value_or(-1);
  } else if (has_type(mapping, "extract_numeric")) {
    attribute.kind = value_kind::amount_text;
  } else {
    attribute = typed_attribute(mapping);
  }
  attribute.name = mapping.xml_attribute;
  return attribute;
}

void merge_attribute(element_plan& element, attribute_plan attribute) {
  for (auto& existing : element.attributes) {
    if (existing.name != attribute.name) {
      continue;
    }
    if (attribute.kind < existing.kind) {
      existing = std::move(attribute);
    }
    return;
  }
  element.attributes.push_back(std::move(attribute));
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         c == '.';
}

/// The quoted literal after `name =` at `at` in an expression, if any.
std::optional<std::string> compared_literal(const std::string& text,
                                            std::size_t at) {
  at = text.find_first_not_of(' ', at);
  if (at == std::string::npos || text[at] != '=') {
    return std::nullopt;
  }
  at = text.find_first_not_of(' ', at + 1);
  if (at == std::string::npos || text[at] != '\'') {
    return std::nullopt;
  }
  const auto end = text.find('\'', at + 1);
  if (end == std::string::npos) {
    return std::nullopt;
  }
  return text.substr(at + 1, end - at - 1);
}

/// Plain names a calculated field reads from its own element (e.g. the
/// salary basis code beside the salary), with the literals they are
/// compared with. Qualified and upper-case (keyword) names are skipped.
std::map<std::string, std::set<std::string>> expression_operands(
    const std::string& text) {
  std::map<std::string, std::set<std::string>> operands;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '\'') {
      const auto end = text.find('\'', at + 1);
      at = end == std::string::npos ? text.size() : end + 1;
      continue;
    }
    if (!is_identifier_char(text[at])) {
      ++at;
      continue;
    }
    const auto start = at;
    while (at < text.size() && is_identifier_char(text[at])) {
      ++at;
    }
    const auto name = text.substr(start, at - start);
    const bool keyword = std::none_of(name.begin(), name.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) != 0;
    });
    if (keyword || name.find('.') != std::string::npos ||
        std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
      continue;
    }
    auto& literals = operands[name];
    if (auto literal = compared_literal(text, at)) {
      literals.insert(*literal);
    }
  }
  return operands;
}

void add_expression_operands(element_plan& element,
                             const std::string& expression) {
  for (const auto& [name, literals] : expression_operands(expression)) {
    attribute_plan operand;
    operand.name = name;
    if (literals.empty()) {
      operand.kind = value_kind::integer;
      operand.max_value = operand_max;
    } else {
      operand.kind = value_kind::choice;
      operand.choices.assign(literals.begin(), literals.end());
    }
    // A name the contract maps itself keeps the mapping's recipe.
    const bool known = std::any_of(
        element.attributes.begin(), element.attributes.end(),
        [&](const attribute_plan& a) { return a.name == name; });
    if (!known) {
      element.attributes.push_back(std::move(operand));
    }
  }
}

void add_filter_rules(const domain::contract& rules, plan_type& elements) {
  for (const auto& rule : rules.filter_rules) {
    auto& element = elements[element_at(elements, rule.xml_child_path)];
    repeat_plan repeat;
    repeat.top_level = rule.xml_parent_path == rules.xml_application_path;
    for (const auto& [name, allowed] : rule.required_attributes) {
      if (allowed.empty()) {
        attribute_plan id;
        id.name = name;
        id.kind = value_kind::contact_key;
        merge_attribute(element, std::move(id));
      } else if (repeat.codes.empty()) {
        repeat.code_attribute = name;
        repeat.codes = allowed;
      }
    }
    element.repeat = std::move(repeat);
  }
}

}  // namespace

// -- writing ---------------------------------------------------------------------

namespace {

/// Per-document state while writing.
struct document_context {
  random_source random;
  domain::record_key key;
  defect_kind defect;
  std::size_t target_bytes;
  std::int64_t next_contact = 0;
  std::string out;
};

void append_text(document_context& doc, std::size_t count) {
  std::uint64_t bits = 0;
  int left = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (left == 0) {
      bits = doc.random.next();
      left = 10;
    }
    doc.out += text_alphabet[(bits & 63U) % text_alphabet.size()];
    bits >>= 6U;
    --left;
  }
}

void append_digits(document_context& doc, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    doc.out += static_cast<char>('0' + doc.random.below(10));
  }
}

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
}

void append_date(document_context& doc, bool with_time) {
  const auto year = first_year + doc.random.between(0, year_span - 1);
  const auto month = doc.random.between(1, 12);
  const auto day = doc.random.between(1, 28);
  char buffer[32];
  if (with_time && doc.random.chance(0.5)) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d",
                  static_cast<int>(year), static_cast<int>(month),
                  static_cast<int>(day),
                  static_cast<int>(doc.random.between(0, 23)),
                  static_cast<int>(doc.random.between(0, 59)),
                  static_cast<int>(doc.random.between(0, 59)));
  } else {
    std::snprintf(buffer, sizeof buffer, "%02d/%02d/%04d",
                  static_cast<int>(month), static_cast<int>(day),
                  static_cast<int>(year));
  }
  doc.out += buffer;
}

/// Characters for a text or digit value: within the column width, or past
/// it for the over-long defect.
std::size_t value_length(document_context& doc, int width,
                         std::size_t fallback) {
  if (width <= 0) {
    return fallback;
  }
  const auto limit = static_cast<std::size_t>(width);
  if (doc.defect == defect_kind::over_long_values) {
    return limit + 1 + doc.random.below(max_overrun);
  }
  return 1 + doc.random.below(std::min(limit, fallback));
}

/// Digit strings (SSNs, ZIP codes, phone numbers) fill their column.
std::size_t digit_count(document_context& doc, int width) {
  if (width <= 0) {
    return default_digits;
  }
  const auto limit = static_cast<std::size_t>(width);
  if (doc.defect == defect_kind::over_long_values) {
    return limit + 1 + doc.random.below(max_overrun);
  }
  return limit;
}

void append_decimal(document_context& doc, int scale) {
  doc.out += std::to_string(doc.random.between(0, decimal_whole_max));
  if (scale > 0) {
    doc.out += '.';
    append_digits(doc, static_cast<std::size_t>(scale));
  }
}

void append_value(document_context& doc, const attribute_plan& attribute) {
  auto& random = doc.random;
  switch (attribute.kind) {
    case value_kind::record_key:
      doc.out += std::to_string(doc.key);
      break;
    case value_kind::contact_key:
      doc.out += std::to_string(doc.next_contact);
      break;
    case value_kind::choice:
      if (!attribute.choices.empty()) {
        append_escaped(doc.out, attribute.choices[random.below(
                                    attribute.choices.size())]);
      }
      break;
    case value_kind::digits:
      append_digits(doc, digit_count(doc, attribute.length));
      break;
    case value_kind::amount_text:
      doc.out += "Up to $" + std::to_string(random.between(1, tinyint_max));
      break;
    case value_kind::datetime:
    case value_kind::date:
      append_date(doc, attribute.kind == value_kind::datetime);
      break;
    case value_kind::integer:
      doc.out += std::to_string(random.between(0, attribute.max_value));
      break;
    case value_kind::decimal:
      append_decimal(doc, attribute.length);
      break;
    case value_kind::text: {
      const auto fallback =
          attribute.length < 0
              ? static_cast<std::size_t>(random.between(unlimited_min,
                                                        unlimited_max))
              : text_max;
      append_text(doc, attribute.length < 0
                           ? fallback
                           : value_length(doc, attribute.length, fallback));
      break;
    }
  }
}

/// Writes ` name="value"`; the key survives blanking, everything else is
/// empty in a blank-fields document.
void append_attribute(document_context& doc, const attribute_plan& attribute,
                      const std::string* fixed_value) {
  doc.out += ' ';
  doc.out += attribute.name;
  doc.out += "=\"";
  const bool blank = doc.defect == defect_kind::blank_fields &&
                     attribute.kind != value_kind::record_key;
  if (blank) {
    // nothing: the attribute is present and empty
  } else if (fixed_value != nullptr) {
    append_escaped(doc.out, *fixed_value);
  } else {
    append_value(doc, attribute);
  }
  doc.out += '"';
}

}  // namespace

// -- filler ------------------------------------------------------------------

namespace {

bool filled(const document_context& doc, std::size_t goal) {
  return doc.out.size() >= goal;
}

std::size_t filler_length(document_context& doc) {
  return static_cast<std::size_t>(
      doc.random.between(filler_text_min, filler_text_max));
}

void append_reports(document_context& doc, std::size_t goal) {
  doc.out += "\n    <Reports>";
  for (std::size_t n = 1; !filled(doc, goal); ++n) {
    const auto type = report_types[doc.random.below(report_types.size())];
    doc.out += "\n      <Report seq_no=\"" + std::to_string(n) +
               "\" report_type=\"" + std::string{type} + "\">";
    const auto segments = 1 + doc.random.below(segments_max);
    for (std::size_t s = 0; s < segments && !filled(doc, goal); ++s) {
      doc.out += "\n        <Segment code=\"";
      append_text(doc, 4);
      doc.out += "\" data=\"";
      append_text(doc, filler_length(doc));
      doc.out += "\" />";
    }
    doc.out += "\n      </Report>";
  }
  doc.out += "\n    </Reports>";
}

void append_journals(document_context& doc, std::size_t goal) {
  doc.out += "\n    <Journals>";
  for (std::size_t n = 1; !filled(doc, goal); ++n) {
    doc.out += "\n      <Journal seq_no=\"" + std::to_string(n) +
               "\" journal_date=\"";
    append_date(doc, true);
    doc.out += "\" user_id=\"";
    append_text(doc, 8);
    doc.out += "\" description=\"";
    append_text(doc, filler_length(doc));
    doc.out += "\" />";
  }
  doc.out += "\n    </Journals>";
}

void append_audits(document_context& doc, std::size_t goal) {
  doc.out += "\n    <Audits>";
  for (std::size_t n = 1; !filled(doc, goal); ++n) {
    doc.out += "\n      <Audit audit_id=\"" + std::to_string(n) +
               "\" changed_at=\"";
    append_date(doc, true);
    doc.out += "\" field_name=\"";
    append_text(doc, 12);
    doc.out += "\" old_value=\"";
    append_text(doc, filler_length(doc) / 2);
    doc.out += "\" new_value=\"";
    append_text(doc, filler_length(doc) / 2);
    doc.out += "\" />";
  }
  doc.out += "\n    </Audits>";
}

/// The bulky sections that make up most of a real document's size.
void append_filler(document_context& doc) {
  const auto start = doc.out.size();
  const auto goal = doc.target_bytes;
  if (start >= goal) {
    return;
  }
  const auto room = static_cast<double>(goal - start);
  append_reports(doc, start + static_cast<std::size_t>(room * report_share));
  append_journals(doc,
                  start + static_cast<std::size_t>(room * journal_share));
  append_audits(doc, goal);
}

}  // namespace

// -- document_generator ------------------------------------------------------

namespace {

std::string_view element_name(const element_plan& element, bool renamed,
                              std::string& buffer) {
  if (!renamed) {
    return element.name;
  }
  buffer = "IL_" + element.name;
  return buffer;
}

class element_writer {
 public:
  element_writer(const document_generator::plan& plan, document_context& doc)
      : plan_(plan), doc_(doc) {}

  void write(std::size_t index, int depth, const std::string* code) {
    const auto& element = plan_.elements[index];
    const bool renamed = doc_.defect == defect_kind::other_product_line &&
                         (index == plan_.application || element.repeat);
    std::string buffer;
    const auto name = element_name(element, renamed, buffer);
    indent(depth);
    doc_.out += '<';
    doc_.out += name;
    for (const auto& attribute : element.attributes) {
      const bool is_code =
          element.repeat && attribute.name == element.repeat->code_attribute;
      append_attribute(doc_, attribute, is_code ? code : nullptr);
    }
    if (element.children.empty() && index != plan_.filler_host) {
      doc_.out += " />";
      return;
    }
    doc_.out += '>';
    for (auto child : element.children) {
      write_child(child, depth + 1);
    }
    if (index == plan_.filler_host) {
      append_filler(doc_);
    }
    indent(depth);
    doc_.out += "</";
    doc_.out += name;
    doc_.out += '>';
  }

 private:
  void indent(int depth) {
    // The root starts the text (after the optional byte-order mark).
    if (doc_.out.empty() || doc_.out == utf8_bom) {
      return;
    }
    doc_.out += '\n';
    doc_.out.append(static_cast<std::size_t>(depth) * 2, ' ');
  }

  /// A child once, or repeated with its codes when a filter rule
  /// governs it (contacts with roles, addresses with types).
  void write_child(std::size_t child, int depth) {
    const auto& element = plan_.elements[child];
    if (!element.repeat || element.repeat->codes.empty()) {
      write(child, depth, nullptr);
      return;
    }
    const auto& codes = element.repeat->codes;
    if (!element.repeat->top_level) {
      const auto count = 1 + doc_.random.below(codes.size());
      for (std::size_t i = 0; i < count; ++i) {
        write(child, depth, &codes[i]);
      }
      return;
    }
    write_contacts(child, depth);
  }

  void write_contacts(std::size_t child, int depth) {
    const auto& codes = plan_.elements[child].repeat->codes;
    const auto count = 1 + doc_.random.below(max_extra_contacts + 1);
    const auto first_id = doc_.key * contacts_per_key;
    for (std::size_t i = 0; i < count; ++i) {
      const auto& code = i == 0 ? codes[0] : codes[doc_.random.below(
                                                 codes.size())];
      doc_.next_contact = first_id + static_cast<std::int64_t>(i);
      write(child, depth, &code);
    }
    if (doc_.defect == defect_kind::duplicate_contacts) {
      // A second primary contact under the first one's id.
      doc_.next_contact = first_id;
      write(child, depth, &codes[0]);
    }
  }

  const document_generator::plan& plan_;
  document_context& doc_;
};

std::unique_ptr<document_generator::plan> build_plan(
    const domain::contract& rules) {
  auto result = std::make_unique<document_generator::plan>();
  auto& elements = result->elements;
  element_at(elements, "/" + rules.xml_root_element);
  result->application = element_at(elements, rules.xml_application_path);
  for (const auto& mapping : rules.mappings) {
    const auto index = element_at(elements, mapping.xml_path);
    merge_attribute(elements[index], attribute_for(rules, mapping));
  }
  for (const auto& mapping : rules.mappings) {
    if (mapping.expression && has_type(mapping, "calculated_field")) {
      add_expression_operands(elements[element_at(elements, mapping.xml_path)],
                              *mapping.expression);
    }
  }
  add_filter_rules(rules, elements);

  // The bulky sections sit beside the application's container, inside the
  // request, as in the corpus; a shallow contract puts them in the root.
  const auto container = parent_of(rules.xml_application_path);
  const auto host = parent_of(container);
  result->filler_host =
      host.empty() ? 0 : element_at(elements, host);
  return result;
}

defect_kind pick_defect(random_source& random, double rate) {
  if (!random.chance(rate)) {
    return defect_kind::none;
  }
  return static_cast<defect_kind>(1 + random.below(defect_kind_count - 1));
}

std::size_t pick_size(random_source& random,
                      const generator_options& options) {
  const double median = static_cast<double>(options.median_bytes);
  const double drawn = median * std::exp(size_sigma * random.normal());
  const double low = static_cast<double>(options.min_bytes);
  const double high =
      static_cast<double>(options.max_bytes > options.min_bytes + closing_slack
                              ? options.max_bytes - closing_slack
                              : options.min_bytes);
  return static_cast<std::size_t>(std::clamp(drawn, low, high));
}

/// Cuts the closing tags (and a little more) off the end.
void break_well_formedness(document_context& doc) {
  const auto last_open = doc.out.rfind("\n  </");
  const auto keep = last_open == std::string::npos ? doc.out.size() / 2
                                                   : last_open;
  const auto cut = std::min(keep, doc.random.below(max_cut));
  doc.out.resize(keep - cut);
}

}  // namespace

std::string_view to_string(defect_kind kind) {
  switch (kind) {
    case defect_kind::none: return "none";
    case defect_kind::not_well_formed: return "not_well_formed";
    case defect_kind::blank_fields: return "blank_fields";
    case defect_kind::over_long_values: return "over_long_values";
    case defect_kind::duplicate_contacts: return "duplicate_contacts";
    case defect_kind::other_product_line: return "other_product_line";
  }
  return "unknown";
}

document_generator::document_generator(const domain::contract& rules,
                                       generator_options options)
    : options_(options), plan_(build_plan(rules)) {}

document_generator::~document_generator() = default;
document_generator::document_generator(document_generator&&) noexcept =
    default;
document_generator& document_generator::operator=(
    document_generator&&) noexcept = default;

generated_document document_generator::generate(std::size_t index) const {
  // Each document has its own stream, so document i never depends on
  // which documents were made before it.
  random_source random{options_.seed * index_mix ^
                       (static_cast<std::uint64_t>(index) + 1)};
  random.next();
  const auto key = options_.first_key + static_cast<domain::record_key>(index);
  const auto defect = pick_defect(random, options_.defect_rate);
  const auto size = pick_size(random, options_);
  document_context doc{random, key, defect, size, 0, {}};
  doc.out.reserve(size + closing_slack);
  if (doc.random.chance(bom_share)) {
    doc.out += utf8_bom;
  }
  element_writer{*plan_, doc}.write(0, 0, nullptr);
  doc.out += '\n';
  if (defect == defect_kind::not_well_formed) {
    break_well_formedness(doc);
  }
  return {key, defect, std::move(doc.out)};
}

}  // namespace xmlshred::infra
