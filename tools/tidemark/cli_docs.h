// Documents generated from the command-line definition itself, so they never drift from it:
// a bash completion script (`tidemark completion`) and a man page (`tidemark manpage`).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace tidemark::cli {

// `complete -F _tidemark tidemark` with every command path, its options and subcommands.
std::string BashCompletion(const CLI::App& app);
// troff source of tidemark(1): synopsis, global options, every command with its options.
std::string ManPage(const CLI::App& app, const std::string& version);

}  // namespace tidemark::cli
