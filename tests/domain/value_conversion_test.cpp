// Value conversions and the per-column chain: blank, padded, over-long and
// unconvertible input, impossible dates, defaults and lookups.
#define BOOST_TEST_MODULE value_conversion_test
#include "domain/value_conversion.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

#include "domain/column_rule.hpp"

namespace xmlshred::domain {
namespace {

/// "none" for nullopt, the text otherwise: comparable in one check.
std::string shown(const std::optional<std::string>& value) {
  return value ? *value : "none";
}

/// A contract with the tables the column rules below look up.
contract lookup_tables() {
  contract rules;
  rules.enum_mappings["status_enum"] = {{"A", 160}, {"B", 161}};
  rules.enum_mappings["population_enum"] = {{"HU", 242}, {"", 229}};
  rules.bit_conversions["char_to_bit"] = {{"Y", 1}, {"N", 0}, {"", 0}};
  rules.bit_conversions["boolean_to_bit"] = {{"true", 1}, {"false", 0}};
  return rules;
}

mapping_spec column(data_type type, std::vector<std::string> types = {}) {
  mapping_spec spec;
  spec.target_table = "t";
  spec.target_column = "c";
  spec.type = type;
  for (const auto& name : types) {
    spec.kinds.push_back(*parse_mapping_type(name));
    spec.mapping_types.push_back(name);
  }
  return spec;
}

/// What a column rule makes of `raw`: "omitted", "missing", "NULL" or the
/// value, with "(default)" when it came from the contract default.
std::string mapped(const mapping_spec& spec,
                   std::optional<std::string_view> raw) {
  contract rules = lookup_tables();
  column_value value = column_rule(spec, rules).apply(raw);
  switch (value.result) {
    case column_value::outcome::omitted:
      return "omitted";
    case column_value::outcome::missing_required:
      return "missing";
    case column_value::outcome::produced:
      break;
  }
  std::string text = value.value ? *value.value : "NULL";
  return value.from_default ? text + " (default)" : text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(integer_text_drops_padding_and_leading_zeros) {
  BOOST_TEST(shown(to_integer_text(" 0042 ")) == "42");
  BOOST_TEST(shown(to_integer_text("-7")) == "-7");
  BOOST_TEST(shown(to_integer_text("12a")) == "none");
  BOOST_TEST(shown(to_integer_text("")) == "none");
}

BOOST_AUTO_TEST_CASE(lenient_integer_rounds_the_first_number_half_up) {
  BOOST_TEST(shown(to_integer_text_lenient("52.88")) == "53");
  BOOST_TEST(shown(to_integer_text_lenient("36.5")) == "37");
  BOOST_TEST(shown(to_integer_text_lenient("Up to $40")) == "40");
  BOOST_TEST(shown(to_integer_text_lenient("none")) == "none");
}

BOOST_AUTO_TEST_CASE(decimal_rounds_half_up_and_prints_shortest_text) {
  BOOST_TEST(shown(to_decimal_text("8333.333333333334", 2)) == "8333.33");
  BOOST_TEST(shown(to_decimal_text("500.00", 2)) == "500.0");
  BOOST_TEST(shown(to_decimal_text("0.095745", 5)) == "0.09575");
  BOOST_TEST(shown(to_decimal_text("2.675", 2)) == "2.68");
  BOOST_TEST(shown(to_decimal_text(" 48 ", 2)) == "48.0");
  BOOST_TEST(shown(to_decimal_text("1e3", 2)) == "1000.0");
}

BOOST_AUTO_TEST_CASE(non_numeric_text_is_no_decimal) {
  BOOST_TEST(shown(to_decimal_text("1,234.50", 2)) == "none");
  BOOST_TEST(shown(to_decimal_text("abc", 2)) == "none");
  BOOST_TEST(shown(to_decimal_text(".", 2)) == "none");
}

BOOST_AUTO_TEST_CASE(shortest_double_text_follows_repr_rules) {
  BOOST_TEST(shortest_double_text(450.0) == "450.0");
  BOOST_TEST(shortest_double_text(0.09589) == "0.09589");
  BOOST_TEST(shortest_double_text(1e16) == "1e+16");
  BOOST_TEST(shortest_double_text(0.00001) == "1e-05");
  BOOST_TEST(shortest_double_text(-0.5) == "-0.5");
}

BOOST_AUTO_TEST_CASE(timestamps_accept_the_source_layouts) {
  BOOST_TEST(shown(to_datetime_text("2025-04-02 22:59:28.124")) ==
             "2025-04-02 22:59:28.124000");
  BOOST_TEST(shown(to_datetime_text("2025-4-2 22:59:28.0")) ==
             "2025-04-02 22:59:28");
  BOOST_TEST(shown(to_datetime_text("01/14/1980")) == "1980-01-14 00:00:00");
  BOOST_TEST(shown(to_datetime_text("4/2/2020 5:53:20 PM")) ==
             "2020-04-02 17:53:20");
  BOOST_TEST(shown(to_datetime_text("2024-02-29")) == "2024-02-29 00:00:00");
}

BOOST_AUTO_TEST_CASE(impossible_dates_are_no_timestamp) {
  BOOST_TEST(shown(to_datetime_text("2023-02-29")) == "none");
  BOOST_TEST(shown(to_datetime_text("13/01/2020")) == "none");
  BOOST_TEST(shown(to_datetime_text("01/14/80")) == "none");
  BOOST_TEST(shown(to_datetime_text("Q1HH3WDmmMZP+F6NuQyScR==")) == "none");
}

BOOST_AUTO_TEST_CASE(seconds_past_59_are_clamped) {
  BOOST_TEST(shown(to_datetime_text("2024-8-8 8:08:88.008")) ==
             "2024-08-08 08:08:59.008000");
}

BOOST_AUTO_TEST_CASE(truncation_counts_characters_not_bytes) {
  BOOST_TEST(std::string(truncate_chars("\xC3\xA9t\xC3\xA9", 2)) ==
             "\xC3\xA9t");
  BOOST_TEST(std::string(truncate_chars("abc", 5)) == "abc");
}

BOOST_AUTO_TEST_CASE(blank_value_is_omitted_from_a_nullable_column) {
  auto spec = column(data_type::string_type);
  BOOST_TEST(mapped(spec, std::string_view("   ")) == "omitted");
  BOOST_TEST(mapped(spec, std::nullopt) == "omitted");
}

BOOST_AUTO_TEST_CASE(padded_string_is_trimmed_and_cut_to_length) {
  auto spec = column(data_type::string_type);
  spec.data_length = 10;
  BOOST_TEST(mapped(spec, std::string_view("  JR TOO LONG SUFFIX ")) ==
             "JR TOO LON");
}

BOOST_AUTO_TEST_CASE(minus_one_length_keeps_the_whole_string) {
  auto spec = column(data_type::string_type);
  spec.data_length = -1;
  BOOST_TEST(mapped(spec, std::string_view("abc==")) == "abc==");
}

BOOST_AUTO_TEST_CASE(non_numeric_text_into_an_integer_column_is_omitted) {
  auto spec = column(data_type::smallint_type);
  BOOST_TEST(mapped(spec, std::string_view("n/a")) == "omitted");
  BOOST_TEST(mapped(spec, std::string_view("1,200")) == "1");
}

BOOST_AUTO_TEST_CASE(unconvertible_not_null_value_takes_the_raw_default) {
  auto spec = column(data_type::date_type);
  spec.nullable = false;
  spec.default_value = "1900-01-01";
  BOOST_TEST(mapped(spec, std::string_view("Q1HH3WDmmMZP")) ==
             "1900-01-01 (default)");
}

BOOST_AUTO_TEST_CASE(blank_value_takes_the_converted_default) {
  auto spec = column(data_type::datetime_type);
  spec.default_value = "1900-01-01";
  BOOST_TEST(mapped(spec, std::string_view("")) ==
             "1900-01-01 00:00:00 (default)");
}

BOOST_AUTO_TEST_CASE(required_value_without_default_is_missing) {
  auto spec = column(data_type::int_type, {"identity_insert"});
  spec.nullable = false;
  BOOST_TEST(mapped(spec, std::string_view("")) == "missing");
  BOOST_TEST(mapped(spec, std::string_view("x1")) == "missing");
  BOOST_TEST(mapped(spec, std::string_view("218844")) == "218844");
}

BOOST_AUTO_TEST_CASE(enum_matches_exactly_then_ignoring_case) {
  auto spec = column(data_type::smallint_type, {"enum"});
  spec.target_column = "status_enum";
  BOOST_TEST(mapped(spec, std::string_view(" A ")) == "160");
  BOOST_TEST(mapped(spec, std::string_view("b")) == "161");
  BOOST_TEST(mapped(spec, std::string_view("Z")) == "omitted");
}

BOOST_AUTO_TEST_CASE(enum_empty_key_is_the_table_default) {
  auto spec = column(data_type::smallint_type, {"enum"});
  spec.enum_name = "population_enum";
  BOOST_TEST(mapped(spec, std::string_view("")) == "229");
  BOOST_TEST(mapped(spec, std::string_view("XX")) == "229");
}

BOOST_AUTO_TEST_CASE(not_null_enum_without_code_or_default_is_missing) {
  auto spec = column(data_type::smallint_type, {"enum"});
  spec.target_column = "status_enum";
  spec.nullable = false;
  BOOST_TEST(mapped(spec, std::string_view("Z")) == "missing");
}

BOOST_AUTO_TEST_CASE(bit_conversions_answer_blank_and_unknown_with_zero) {
  auto yn = column(data_type::bit_type, {"char_to_bit"});
  BOOST_TEST(mapped(yn, std::string_view("y")) == "1");
  BOOST_TEST(mapped(yn, std::nullopt) == "0");
  BOOST_TEST(mapped(yn, std::string_view("?")) == "0");
  auto flag = column(data_type::bit_type, {"boolean_to_bit"});
  BOOST_TEST(mapped(flag, std::string_view("TRUE")) == "1");
}

BOOST_AUTO_TEST_CASE(numbers_only_keeps_the_digits) {
  auto spec = column(data_type::string_type, {"numbers_only"});
  spec.data_length = 10;
  BOOST_TEST(mapped(spec, std::string_view("(266) 995-3856")) == "2669953856");
  BOOST_TEST(mapped(spec, std::string_view("qxdIfQ7Q1ypx6==")) == "716");
  BOOST_TEST(mapped(spec, std::string_view("no digits")) == "omitted");
}

BOOST_AUTO_TEST_CASE(extract_numeric_reads_a_formatted_amount) {
  auto spec = column(data_type::tinyint_type, {"extract_numeric"});
  BOOST_TEST(mapped(spec, std::string_view("Up to $40")) == "40");
}

}  // namespace xmlshred::domain
