#include "engine/core/md5.h"

#include <doctest/doctest.h>

#include <string>

namespace tidemark::testing {

// The RFC 1321 appendix A.5 test suite, plus the block boundaries (55, 56, 64 bytes).
TEST_CASE("md5 matches the RFC 1321 test suite and pads across block boundaries") {
  CHECK(Md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(Md5Hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(Md5Hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(Md5Hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(Md5Hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(Md5Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
  CHECK(Md5Hex(std::string(55, 'x')) == "04364420e25c512fd958a70738aa8f72");
  CHECK(Md5Hex(std::string(56, 'x')) == "668a72d5ba17f08e62dabcafad6db14b");
  CHECK(Md5Hex(std::string(63, 'x')) == "7dc2ca208106a2f703567bdff99d8981");
  CHECK(Md5Hex(std::string(64, 'x')) == "c1bb4f81d892b2d57947682aeb252456");
  CHECK(Md5Hex(std::string(65, 'x')) == "1bc932052302d074bdec39795fe00cf6");
  CHECK(Md5Hex(std::string(128, 'x')) == "d69cb61a6ee87200676eb0d4b90edbcb");
}

}  // namespace tidemark::testing
