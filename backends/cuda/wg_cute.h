// The CuTe types of the phase_wgmma family: the stage layouts whose descriptors wgmma reads and
// the tiled MMA (two warpgroups of m64n128k16 over a 128 x 128 block tile). Host-compilable, so
// phase_wgmma_test.cpp checks wg_tile.h's formulas against these very types.
#pragma once

#include <cute/atom/mma_traits_sm90_gmma.hpp>
#include <cute/tensor.hpp>

#include "backends/cuda/wg_tile.h"

namespace tconv::cuda::wg {

// T: cute::half_t or cute::bfloat16_t; BKN: B contiguous along n (fwd) rather than k (bwd_data).
template <class T, bool BKN>
struct WgCute {
  using BM = cute::Int<WgCfg::BM>;
  using BN = cute::Int<WgCfg::BN>;
  using BK = cute::Int<WgCfg::BK>;
  using Stages = cute::Int<WgCfg::STAGES>;
  static constexpr cute::GMMA::Major kMajorB = BKN ? cute::GMMA::Major::MN : cute::GMMA::Major::K;
  // One stage of A ([m][k], K-major) and B ([n][k], K- or MN-major); stages WgCfg::STAGE_ELEMS apart.
  using LayoutA = decltype(cute::tile_to_shape(cute::GMMA::Layout_K_SW128_Atom<T>{}, cute::Shape<BM, BK>{}));
  using LayoutB = decltype(cute::tile_to_shape(
      std::conditional_t<BKN, cute::GMMA::Layout_MN_SW128_Atom<T>, cute::GMMA::Layout_K_SW128_Atom<T>>{},
      cute::Shape<BN, BK>{}));
  using Atom = decltype(cute::GMMA::ss_op_selector<T, T, float, cute::Shape<cute::_64, BN, BK>, cute::GMMA::Major::K,
                                                   kMajorB>());
  using TiledMma = decltype(cute::make_tiled_mma(Atom{}, cute::Layout<cute::Shape<cute::_2, cute::_1, cute::_1>>{}));
};

}  // namespace tconv::cuda::wg
