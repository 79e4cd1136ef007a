// Messages that quote files: nothing a terminal acts on gets through, and long text is cut.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "common/printable.h"

namespace ganvas {
namespace {

TEST(Printable, ControlsAreWrittenOutAndUtf8IsKept) {
  EXPECT_EQ(printable("\x1b]0;title\x07\x1b[2J"), "\\x1b]0;title\\x07\\x1b[2J");
  EXPECT_EQ(printable("one\ntwo\tthree\r"), "one\\ntwo\\x09three\\x0d");
  EXPECT_EQ(printable("del \x7f"), "del \\x7f");
  EXPECT_EQ(printable("Zürich, 東京, 🙂"), "Zürich, 東京, 🙂");
  EXPECT_EQ(printable("\xc2\x9b" "2J"), "\\xc2\\x9b2J") << "C1's CSI in UTF-8";
  EXPECT_EQ(printable("\x9b" "2J"), "\\x9b2J") << "a lone C1 byte";
  EXPECT_EQ(printable("\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80"), "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80")
      << "overlong, surrogate, past U+10FFFF";
  EXPECT_EQ(printable("cut \xe2\x82"), "cut \\xe2\\x82") << "a sequence cut short";
}

TEST(Printable, QuotesAreCutWithTheirLength) {
  EXPECT_EQ(quote("relu"), "'relu'");
  EXPECT_EQ(quote(std::string(10, 'a'), 4), "'aaaa...' (10 bytes)");
}

TEST(Printable, LongMessagesKeepTheirStartAndEnd) {
  const std::string message = "cannot write /" + std::string(5000, 'd') + "/x.png (File name too long)";
  const std::string shown = one_line_message(message, 200);
  EXPECT_LT(shown.size(), 260u);
  EXPECT_EQ(shown.rfind("cannot write /", 0), 0u);
  EXPECT_NE(shown.find("(File name too long)"), std::string::npos);
  EXPECT_NE(shown.find("bytes left out"), std::string::npos);
  EXPECT_EQ(one_line_message("short\nmessage"), "short\\nmessage");
}

TEST(Printable, PathsAreShownWhereTheyAre) {
  const std::string here = std::filesystem::current_path().string();
  EXPECT_EQ(shown_path("out/./x.png"), here + "/out/x.png");
  EXPECT_EQ(shown_path("/tmp/a/../b.png"), "/tmp/b.png");
}

}  // namespace
}  // namespace ganvas
