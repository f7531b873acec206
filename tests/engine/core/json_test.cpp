#include "engine/core/json.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <filesystem>

#include "engine/core/page_buffer.h"

namespace tidemark {

TEST_CASE("IsValidUtf8 follows RFC 3629: no overlongs, surrogates or code points past U+10FFFF") {
  struct Case {
    std::string text;
    bool valid;
  };
  const Case cases[] = {
      {"", true},
      {"plain ASCII, longer than eight bytes", true},
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92", true},  // é € 🔒
      {"\xC0\xAF", false},                                   // overlong '/'
      {"\xE0\x80\xAF", false},                               // overlong, 3 bytes
      {"\xED\xA0\x80", false},                               // UTF-16 surrogate D800
      {"\xF4\x90\x80\x80", false},                           // U+110000
      {"\xF5\x80\x80\x80", false},                           // lead byte past F4
      {"abcdefgh\xC3", false},                               // truncated after an ASCII word
      {"\x80", false},                                       // lone continuation byte
      {std::string("nul\0inside", 10), true},                // NUL is valid UTF-8 (JSON rejects it)
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(IsValidUtf8(c.text) == c.valid);
  }
}

TEST_CASE("ParseJson: BOM skipped, invalid UTF-8 and deep nesting refused with file and line") {
  rapidjson::Document doc;
  std::string bom = "\xEF\xBB\xBF{\"a\": 1}";
  REQUIRE(ParseJson(bom, doc, "f.json").ok());
  CHECK(doc["a"].GetInt() == 1);

  for (bool insitu : {false, true}) {
    CAPTURE(insitu);
    std::string bad = "{\n\"a\": \"\xC0\xAF\"}";
    auto status = ParseJson(bad, doc, "f.json", insitu);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().find("f.json:2: not valid JSON: Invalid encoding in string") == 0);

    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    status = ParseJson(deep, doc, "deep.json", insitu);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message() == "deep.json: JSON nested deeper than 256 levels");

    std::string fine = std::string(256, '[') + std::string(256, ']');
    CHECK(ParseJson(fine, doc, "ok.json", insitu).ok());
  }
}

TEST_CASE("in situ parsing of text cut inside a UTF-8 sequence stays within the text") {
  // Exactly size + 1 bytes on the heap, so AddressSanitizer sees any read past the NUL.
  for (std::string input : {std::string("{\"a\": \"\xE2"), std::string("{\"a\": \"\xF0\x9F")}) {
    CAPTURE(input);
    auto buffer = std::make_unique<char[]>(input.size() + 1);
    std::memcpy(buffer.get(), input.data(), input.size() + 1);
    rapidjson::Document doc;
    auto status = ParseJsonInsitu(buffer.get(), input.size(), doc, "cut.json");
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().find("cut.json:1: not valid JSON: ") == 0);
  }
}

TEST_CASE("ReadFileText reads a whole file NUL-terminated and names a missing one") {
  std::string path = std::filesystem::temp_directory_path() / "tidemark-json-test.txt";
  std::string content(3 << 20, 'x');  // larger than one chunk
  content += "end";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  std::fwrite(content.data(), 1, content.size(), f);
  std::fclose(f);
  auto text = ReadFileText(path);
  REQUIRE(text.ok());
  CHECK(text->size == content.size());
  CHECK(text->view() == content);
  CHECK(text->data()[text->size] == '\0');
  std::filesystem::remove(path);

  auto missing = ReadFileText("/nonexistent/tidemark.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("/nonexistent/tidemark.json") != std::string::npos);
}

TEST_CASE("control bytes 0x00-0x1F followed by 20 bytes are escaped by every writer (RapidJSON 1.1.0's SSE4.2 scan let 0x1A-0x1F through)") {
  // Prefixes of 0 to 40 bytes put the control byte at every position of a 16-byte SIMD block.
  for (int byte = 0; byte < 0x20; ++byte) {
    for (size_t prefix = 0; prefix <= 40; ++prefix) {
      std::string text = std::string(prefix, 'p') + static_cast<char>(byte) + std::string(20, 'x');
      CAPTURE(byte);
      CAPTURE(prefix);
      rapidjson::StringBuffer compact;
      JsonWriter writer(compact);
      writer.StartObject();
      WriteField(writer, "title", text);
      writer.EndObject();
      std::string json(compact.GetString(), compact.GetSize());
      for (unsigned char c : json) REQUIRE(c >= 0x20);
      rapidjson::Document doc;
      REQUIRE(ParseJson(json, doc, "written").ok());
      CHECK(*StringMember(doc, "title") == text);
      rapidjson::StringBuffer pretty;
      PrettyJsonWriter pretty_writer(pretty);
      doc.Accept(pretty_writer);
      std::string indented(pretty.GetString(), pretty.GetSize());
      rapidjson::Document again;
      REQUIRE(ParseJson(indented, again, "pretty").ok());
      CHECK(*StringMember(again, "title") == text);
      CHECK(ToJsonString(again) == json);
    }
  }
}

TEST_CASE("a JSON string past the limit is refused naming the file, not a heap corruption") {
  // Over 715,827,882 bytes RapidJSON 1.1.0's 32-bit write reservation overflowed ("double free
  // or corruption" on a 2^31-byte string); the limit is checked before any byte is touched.
  std::string small = "x";
  rapidjson::StringBuffer buf;
  JsonWriter writer(buf);
  CHECK_THROWS_AS(writer.String(small.data(), static_cast<rapidjson::SizeType>(kMaxJsonStringBytes + 1)),
                  JsonStringTooLong);
  CHECK_THROWS_AS(writer.Key(small.data(), static_cast<rapidjson::SizeType>(kMaxJsonStringBytes + 1)),
                  JsonStringTooLong);
  // Past 4 GiB the length is checked before RapidJSON's 32-bit cast.
  CHECK_THROWS_AS(WriteString(writer, std::string_view(small.data(), (size_t{1} << 32) + 5)), JsonStringTooLong);
  CHECK(buf.GetSize() == 0);

  // Reading: the limit lowered for the test.
  setenv("TIDEMARK_MAX_JSON_STRING", "64", 1);
  std::string text = "{\"ok\": \"" + std::string(64, 'a') + "\",\n \"title\": \"" + std::string(65, 'b') + "\"}";
  rapidjson::Document doc;
  Status status = ParseJson(text, doc, "big.json");
  std::string insitu_text = text;
  rapidjson::Document insitu_doc;
  Status insitu = ParseJson(insitu_text, insitu_doc, "big.json", /*insitu=*/true);
  std::string key_text = "{\"" + std::string(65, 'k') + "\": 1}";
  rapidjson::Document key_doc;
  Status key = ParseJson(key_text, key_doc, "key.json");
  unsetenv("TIDEMARK_MAX_JSON_STRING");
  for (const Status* refused : {&status, &insitu}) {
    CHECK(refused->code() == StatusCode::kBadInput);
    CHECK_MESSAGE(refused->message().find("big.json:2: a string of 65 bytes is too long") != std::string::npos,
                  refused->message());
  }
  CHECK(key.code() == StatusCode::kBadInput);
  CHECK(MaxJsonStringBytes() == kMaxJsonStringBytes);
}

}  // namespace tidemark
