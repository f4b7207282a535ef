// xmlshred: converts XML documents into relational tables by a mapping
// contract, through a supervised actor pipeline.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/bench_command.hpp"
#include "app/check_command.hpp"
#include "app/dump_command.hpp"
#include "app/events_command.hpp"
#include "app/generate_command.hpp"
#include "app/import_command.hpp"
#include "app/requeue_command.hpp"
#include "app/run_command.hpp"
#include "app/schema_command.hpp"
#include "app/verify_command.hpp"
#include "infra/logging.hpp"

namespace {

constexpr int exit_usage = 2;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"xmlshred - convert XML documents into relational tables",
               "xmlshred"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "xmlshred 0.1.0");
  std::optional<std::string> log_level;
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error or off (default info)");

  int exit_code = 0;
  xmlshred::app::import_options import_options;
  xmlshred::app::run_options run_options;
  xmlshred::app::events_options events_options;
  xmlshred::app::add_import_command(app, import_options, exit_code);
  xmlshred::app::add_run_command(app, run_options, exit_code);
  xmlshred::app::add_events_command(app, events_options, exit_code);
  xmlshred::app::verify_options verify_options;
  xmlshred::app::dump_options dump_options;
  xmlshred::app::requeue_options requeue_options;
  xmlshred::app::add_verify_command(app, verify_options, exit_code);
  xmlshred::app::add_dump_command(app, dump_options, exit_code);
  xmlshred::app::add_requeue_command(app, requeue_options, exit_code);
  xmlshred::app::check_options check_options;
  xmlshred::app::add_check_command(app, check_options, exit_code);
  xmlshred::app::generate_options generate_options;
  xmlshred::app::add_generate_command(app, generate_options, exit_code);
  xmlshred::app::bench_options bench_options;
  xmlshred::app::add_bench_command(app, bench_options, exit_code);
  xmlshred::app::schema_options schema_options;
  xmlshred::app::add_schema_command(app, schema_options, exit_code);
  app.parse_complete_callback([&] {
    xmlshred::infra::init_logging(log_level.value_or("info"));
    // Only an explicit level overrides the run configuration's.
    run_options.log_level = log_level;
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : exit_usage;
  }
  return exit_code;
}
