#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contract.hpp"

namespace xmlshred::domain {

/// The data type named `text` ("int", "decimal", ...), if known.
[[nodiscard]] std::optional<data_type> parse_data_type(std::string_view text);

/// The known data type names, comma separated, for messages.
std::string_view known_data_types_text();

/// The known mapping type names, comma separated, for messages.
std::string_view known_mapping_types_text();

/// The enum table a mapping of type `enum` reads: its explicit enum_name,
/// else its target column (columns are named after their enum table).
const std::string& enum_table_name(const mapping_spec& spec);

/// Cross-checks a read contract: tables against table_insertion_order,
/// enum and bit-conversion tables, key mapping, filter rules. Appends one
/// problem per finding; never stops early.
void check_contract(const contract& rules,
                    std::vector<contract_problem>& problems);

/// "N mappings of types a, b skipped" for mappings using a type the mapper
/// does not implement yet; nullopt when every mapping is supported.
[[nodiscard]] std::optional<std::string> unsupported_mappings_warning(
    const contract& rules);

/// True when every type of the mapping is implemented by the mapper.
bool mapping_supported(const mapping_spec& spec);

}  // namespace xmlshred::domain
