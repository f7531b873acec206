// MD5 (RFC 1321) as lowercase hex. Not for security: tidemark uses it only to rebuild ids
// other systems derive with it (a Splunk ES notable's event_hash = md5(_time . _raw)).
#pragma once

#include <string>
#include <string_view>

namespace tidemark {

std::string Md5Hex(std::string_view data);

}  // namespace tidemark
