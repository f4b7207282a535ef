// Times target_store::write_batch alone, on SQLite and on PostgreSQL, with
// records shaped like the credit-card samples' (about 11 rows in 6 tables,
// one contact each). Not a test: built on demand
// (`cmake --build BUILD --target postgresql_write_bench`) and run by hand,
//   postgresql_write_bench SQLITE_FILE POSTGRESQL_URL RECORDS BATCH
// for the figures in docs/postgresql.md.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "infra/target_store.hpp"
#include "tests/infra/infra_test_support.hpp"

namespace {

using xmlshred::domain::cell;
namespace infra = xmlshred::infra;

constexpr int contact_key_offset = 50'000'000;
constexpr int history_rows = 4;
constexpr int score_rows = 3;

xmlshred::domain::record_outcome record(long long key) {
  const auto id = std::to_string(key);
  const auto contact = std::to_string(key + contact_key_offset);
  std::vector<std::vector<cell>> history;
  for (int i = 0; i < history_rows; ++i) {
    history.push_back({cell(id), cell("h" + std::to_string(i)), cell("x")});
  }
  std::vector<std::vector<cell>> scores;
  for (int i = 0; i < score_rows; ++i) {
    scores.push_back({cell(id), cell("s" + std::to_string(i)), cell("700")});
  }
  return xmlshred::domain::converted_outcome(
      key,
      {{"app_base",
        {"app_id", "product_line_enum", "receive_date"},
        {{cell(id), cell("600"), cell("2024-05-01 10:00:00")}}},
       {"app_contact_base",
        {"con_id", "app_id", "contact_type_enum", "birth_date", "first_name",
         "last_name", "ssn"},
        {{cell(contact), cell(id), cell("281"), cell("1970-01-01 00:00:00"),
          cell("A"), cell("B"), cell("123456789")}}},
       {"app_contact_address",
        {"con_id", "address_type_enum"},
        {{cell(contact), cell("320")}}},
       {"app_pricing_cc",
        {"app_id", "campaign_num", "monthly_income"},
        {{cell(id), cell("BLANK"), cell("450.0")}}},
       {"app_historical_lookup", {"app_id", "name", "value"}, history},
       {"scores", {"app_id", "score_identifier", "score"}, scores}});
}

int time_backend(const std::string& label, const std::string& url_text,
                 long long records, std::size_t batch) {
  auto url = std::get<infra::database_url>(
      infra::parse_database_url(url_text));
  auto opened = infra::target_store::open(
      url, {xmlshred::infra::test::shipped_contract("credit_card")},
      true /*create_schema*/);
  if (!opened) {
    std::fprintf(stderr, "%s: %s\n", label.c_str(),
                 opened.error().message.c_str());
    return 1;
  }
  auto& store = *opened.value();
  std::size_t rows = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long long key = 1; key <= records;) {
    std::vector<xmlshred::domain::record_outcome> outcomes;
    for (std::size_t i = 0; i < batch && key <= records; ++i, ++key) {
      outcomes.push_back(record(key));
    }
    auto report = store.write_batch(outcomes, "bench");
    if (!report) {
      std::fprintf(stderr, "%s: %s\n", label.c_str(),
                   report.error().message.c_str());
      return 1;
    }
    for (const auto& [table, count] : report.value().rows_per_table) {
      rows += count;
    }
  }
  const std::chrono::duration<double> seconds =
      std::chrono::steady_clock::now() - start;
  std::printf("%s: %lld records, %zu rows in %.2f s = %.0f records/s, "
              "%.0f rows/s\n",
              label.c_str(), records, rows, seconds.count(),
              records / seconds.count(), rows / seconds.count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SQLITE_FILE POSTGRESQL_URL RECORDS "
                         "BATCH\n", argv[0]);
    return 2;
  }
  const long long records = std::atoll(argv[3]);
  const auto batch = static_cast<std::size_t>(std::atoll(argv[4]));
  return time_backend("sqlite", std::string("sqlite:") + argv[1], records,
                      batch) |
         time_backend("postgresql", argv[2], records, batch);
}
