// The two renderings of every view: a terminal table or text, or the SPEC's JSON.
#pragma once

namespace tidemark::report {

enum class Format { kText, kJson };

}  // namespace tidemark::report
