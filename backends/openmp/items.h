// The loop of the barrier-free item paths (forward_items.cpp, backward_*_items.cpp): a work
// item is (group, block of whole images), handed to the threads one at a time; each thread
// owns one buffer of plan.per_thread_floats for its columns. What an item computes depends on
// the item only, never on which thread runs it or when: deterministic for any thread count.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>

#include "backends/openmp/columns.h"
#include "backends/openmp/directions.h"

namespace tconv::openmp {

struct Item {
  std::int64_t index = 0, group = 0;
  Chunk chunk;               // the item's whole images
  std::int64_t pixels = 0;   // input pixels of those images
  float* buffer = nullptr;   // the running thread's plan.per_thread_floats

  // The item's columns (one group) at the start of the buffer, leading dimension ld.
  Columns columns(const Problem& p, std::int64_t ld) const {
    Columns cols(p, chunk, buffer, ld);
    cols.group0 = group;
    cols.group_count = 1;
    return cols;
  }
};

// body(const Item&) for every item of the plan, on plan.concurrency threads.
template <class Body>
void for_each_item(const Problem& p, const ItemPlan& plan, float* scratch, const Body& body) {
#pragma omp parallel num_threads(plan.concurrency)
  {
    float* buffer = scratch + static_cast<std::size_t>(omp_get_thread_num()) * plan.per_thread_floats;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t index = 0; index < plan.items; ++index) {
      const std::int64_t n0 = index / p.groups * plan.images_per_item;
      const Chunk c{n0, std::min(plan.images_per_item, p.n - n0), 0, p.h_in};
      body(Item{index, index % p.groups, c, c.images * p.h_in * p.w_in, buffer});
    }
  }
}

}  // namespace tconv::openmp
