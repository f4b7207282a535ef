#pragma once

#include <string>
#include <vector>

namespace xmlshred::testing {

/// The throw-away server tests/postgresql/with_server.sh started, reached
/// as its superuser through the unix socket. Reads the
/// XMLSHRED_TEST_POSTGRESQL_* variables the script exports and throws when
/// they are missing, so a suite without a server fails instead of
/// passing. Statements go through libpq directly, independent of the code
/// under test.
class postgresql_server {
 public:
  postgresql_server();

  /// Superuser URL of `database` (unix socket, no password).
  std::string admin_url(const std::string& database) const;
  /// URL of `database` over TCP as `role` with `password`.
  std::string tcp_url(const std::string& role, const std::string& password,
                      const std::string& database) const;

  /// Runs `sql` (any number of statements) in `database` as superuser;
  /// throws with the server's message on failure.
  void execute(const std::string& database, const std::string& sql) const;
  /// The first column of every row of `sql` (NULL as "NULL").
  std::vector<std::string> query_column(const std::string& database,
                                        const std::string& sql) const;
  /// The first column of the first row of `sql` as an integer.
  long long query_number(const std::string& database,
                         const std::string& sql) const;

 private:
  std::string socket_;
  std::string port_;
};

/// A database of its own for one test case, named uniquely in the cluster,
/// dropped (connections and all) on destruction.
class scratch_database {
 public:
  explicit scratch_database(const postgresql_server& server);
  ~scratch_database();
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;

  const std::string& name() const { return name_; }

 private:
  const postgresql_server& server_;
  std::string name_;
};

/// A name unique among the suites sharing the server, e.g. for roles.
std::string unique_name(const std::string& prefix);

}  // namespace xmlshred::testing
