// The shared arena: what one side writes the other reads, it grows on demand, and it cannot
// be cut short under a reader.
#include "conformance/runner/shared_arena.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace tconv {
namespace {

TEST(SharedArena, WhatOneSideWritesTheOtherReadsAfterGrowing) {
  auto writer = SharedArena::create();
  ASSERT_NE(writer, nullptr);
  auto reader = SharedArena::adopt(::dup(writer->fd()));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->view(1), nullptr);  // nothing written yet: the file is empty

  const std::string small(1000, 'a');
  std::memcpy(writer->reserve(small.size()), small.data(), small.size());
  ASSERT_NE(reader->view(small.size()), nullptr);
  EXPECT_EQ(std::string(reader->view(small.size()), small.size()), small);

  // Far beyond the first mapping: the writer grows the file, the reader maps it anew.
  std::string big(40u << 20, 'b');
  big.back() = 'z';
  std::memcpy(writer->reserve(big.size()), big.data(), big.size());
  const char* seen = reader->view(big.size());
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen[0], 'b');
  EXPECT_EQ(seen[big.size() - 1], 'z');

  // The reader may answer through it too (a response bigger than the request).
  std::string answer(50u << 20, 'c');
  std::memcpy(reader->reserve(answer.size()), answer.data(), answer.size());
  ASSERT_NE(writer->view(answer.size()), nullptr);
  EXPECT_EQ(writer->view(answer.size())[answer.size() - 1], 'c');
}

TEST(SharedArena, AFrameBeyondTheFileIsRefusedAndTheFileCannotShrink) {
  auto writer = SharedArena::create();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(writer->reserve(4096), nullptr);
  auto reader = SharedArena::adopt(::dup(writer->fd()));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->view(std::size_t{1} << 40), nullptr);  // a garbled length
  EXPECT_NE(::ftruncate(reader->fd(), 0), 0);             // sealed: no mapping is cut short
}

// The runner keeps the worker's fixed descriptors (3: socket, 4: arena) free of it, even
// when they are the lowest free ones.
TEST(SharedArena, ItsDescriptorStaysAboveTheWorkersFixedOnes) {
  const int free_low = ::dup(0);  // the lowest free descriptor, held then released
  ::close(free_low);
  auto arena = SharedArena::create(free_low + 2);
  ASSERT_NE(arena, nullptr);
  EXPECT_GE(arena->fd(), free_low + 2);
}

TEST(SharedArena, OnlyAFileIsAdopted) {
  EXPECT_EQ(SharedArena::adopt(-1), nullptr);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_EQ(SharedArena::adopt(fds[0]), nullptr);
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace tconv
