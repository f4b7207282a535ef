#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace xmlshred::testing {

/// A scratch folder per test case with helpers to run the real xmlshred
/// binary and inspect the SQLite files it writes.
class cli_fixture {
 public:
  cli_fixture();
  ~cli_fixture();

  /// Runs xmlshred with `args`; returns its exit code. Its stderr goes to
  /// last_log().
  int run(const std::vector<std::string>& args);
  /// Starts xmlshred without waiting; returns its pid.
  pid_t start(const std::vector<std::string>& args);
  /// Waits for a started process; returns its exit code (128+N if killed).
  static int wait_for(pid_t pid);
  /// What the last run wrote on stderr.
  std::string last_log() const;
  /// Runs xmlshred with `args` and waits; returns its exit code and puts
  /// what it wrote on stdout in `output`. Its stderr goes to last_log().
  int run_capturing(const std::vector<std::string>& args, std::string& output);
  /// Writes `text` to path(name), replacing the file.
  void write_file(const std::string& name, const std::string& text) const;

  /// The first column of the first row of `sql` as an integer.
  long long query_number(const std::string& db, const std::string& sql);
  /// The first column of every row of `sql` as text (NULL as "NULL").
  std::vector<std::string> query_column(const std::string& db,
                                        const std::string& sql);
  /// Deletes every trace of the records `keys` (a comma-separated list)
  /// from the target: rows of every table keyed by app_id or by one of
  /// their contacts' con_id, and their processing-log rows.
  void forget_records(const std::string& db, const std::string& keys);
  /// Runs statements that return nothing.
  void execute(const std::string& db, const std::string& sql);
  /// Every row of `sql` with each cell in canonical text: NULL as nullopt,
  /// an INTEGER in decimal, a REAL as the shortest text that reads back as
  /// the same double (".0" added when whole: "450.0"), TEXT as stored.
  std::vector<std::vector<std::optional<std::string>>> query_rows(
      const std::string& db, const std::string& sql);
  /// `value` as query_rows renders a REAL cell.
  static std::string real_text(double value);

  std::string path(const std::string& name) const;
  std::string source_db() const { return path("source.db"); }
  std::string target_db() const { return path("target.db"); }
  std::string source_url() const { return "sqlite:" + source_db(); }
  std::string target_url() const { return "sqlite:" + target_db(); }
  static std::string contract();
  static std::string samples();

  /// import of the shipped credit-card samples into source_db().
  int import_samples();
  /// run from source_db() to target_db() with extra arguments.
  int convert(const std::vector<std::string>& extra = {});

 private:
  std::filesystem::path dir_;
  std::filesystem::path log_;
};

}  // namespace xmlshred::testing
