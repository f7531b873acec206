// Issue 13: bash completion and a man page generated from the command line itself.
#include <doctest/doctest.h>

#include <string>

#include "tests/test_support.h"

namespace tidemark::testing {

TEST_CASE("tidemark completion is a bash script that completes commands, subcommands and options") {
  auto result = RunTidemark({"completion"});
  REQUIRE(result.exit_code == 0);
  std::string dir = TempDir("completion");
  WriteText(dir + "/tidemark.bash", result.out);
  // Source it and ask what completes a few partial command lines.
  std::string script = "source " + dir + "/tidemark.bash\n"
                       "ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); _tidemark; echo \"${COMPREPLY[*]}\"; }\n"
                       "ask tidemark thr\n"
                       "ask tidemark import at\n"
                       "ask tidemark --store s threats --do\n"
                       "ask tidemark recommendations --group\n";
  WriteText(dir + "/ask.sh", script);
  std::string out = dir + "/out.txt";
  REQUIRE(std::system(("bash " + dir + "/ask.sh > " + out + " 2>&1").c_str()) == 0);
  CHECK(ReadText(out) == "threat threats\nattack\n--domain\n--group-by\n");
}

TEST_CASE("tidemark manpage is troff naming every command and its options") {
  auto result = RunTidemark({"manpage"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.rfind(".\\\" tidemark(1)", 0) == 0);
  CHECK(result.out.find(".TH TIDEMARK 1") != std::string::npos);
  CHECK(result.out.find(".SS import incidents\n") != std::string::npos);
  CHECK(result.out.find(".SS threats\n") != std::string::npos);
  CHECK(result.out.find(".B \\-\\-domain") != std::string::npos);
  CHECK(result.out.find(".SH EXIT STATUS") != std::string::npos);
  auto help = RunTidemark({"--help"});
  CHECK(help.out.find("tidemark completion") != std::string::npos);
}

}  // namespace tidemark::testing
