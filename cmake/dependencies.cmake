# Required libraries, then the optional backends. Each TCONV_WITH_* option defaults to ON
# when its dependency is found, and a user may force it OFF (or ON, to fail loudly).
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark QUIET)
find_package(Threads REQUIRED)

find_package(OpenMP COMPONENTS CXX QUIET)
include(CheckLanguage)
check_language(CUDA)
find_package(CUDAToolkit QUIET)
# cuDNN: $CUDNN_ROOT (CMake or environment variable) first, then the CUDA toolkit, then the
# nvidia/cudnn folder of the python3 environment (the pip wheel, where the GPU machines keep
# it). The wheel ships only libcudnn.so.9, hence the versioned name.
set(_cudnn_python_dir "")
execute_process(COMMAND python3 -c "import nvidia.cudnn as m; print(list(m.__path__)[0])"
                OUTPUT_VARIABLE _cudnn_python_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
find_library(CUDNN_LIBRARY NAMES cudnn libcudnn.so.9
             HINTS ${CUDNN_ROOT} $ENV{CUDNN_ROOT} ${CUDAToolkit_LIBRARY_DIR} /usr/local/cuda/lib64
             PATHS ${_cudnn_python_dir} PATH_SUFFIXES lib lib64)
find_path(CUDNN_INCLUDE_DIR cudnn.h
          HINTS ${CUDNN_ROOT} $ENV{CUDNN_ROOT} ${CUDAToolkit_INCLUDE_DIRS} /usr/local/cuda/include
          PATHS ${_cudnn_python_dir} PATH_SUFFIXES include)
# cudnn-frontend (NVIDIA's header-only C++ graph API over cuDNN; the cudnn backend builds its
# graphs with it): $CUDNN_FRONTEND_INCLUDE_DIR, else the include/ folder of the python3
# environment's nvidia-cudnn-frontend package (tools/setup.sh installs it with pip).
set(_cudnn_frontend_python_dir "")
execute_process(COMMAND python3 -c "import importlib.metadata as m; print(next(str(f.locate().parent) for f in m.files('nvidia-cudnn-frontend') if f.name == 'cudnn_frontend.h'))"
                OUTPUT_VARIABLE _cudnn_frontend_python_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
find_path(CUDNN_FRONTEND_INCLUDE_DIR cudnn_frontend.h
          HINTS $ENV{CUDNN_FRONTEND_INCLUDE_DIR} ${_cudnn_frontend_python_dir})
# Debian's dnnl-config.cmake insists on OpenCL, which the CPU engine does not need.
find_library(DNNL_LIBRARY dnnl)
find_path(DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
set(_dnnl_found OFF)
if(DNNL_LIBRARY AND DNNL_INCLUDE_DIR)
  set(_dnnl_found ON)
endif()

# CUTLASS / CuTe (header-only; the cuda backend's wgmma family): $CUTLASS_INCLUDE_DIR, else the
# headers of the python3 environment's nvidia-cutlass package (tools/setup.sh installs it).
set(_cutlass_python_dir "")
execute_process(COMMAND python3 -c "import importlib.metadata as m; print(next(str(f.locate().parent.parent) for f in m.files('nvidia-cutlass') if str(f).endswith('cute/tensor.hpp')))"
                OUTPUT_VARIABLE _cutlass_python_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
find_path(CUTLASS_INCLUDE_DIR cute/tensor.hpp HINTS $ENV{CUTLASS_INCLUDE_DIR} ${_cutlass_python_dir})

set(_cuda_found OFF)
if(CMAKE_CUDA_COMPILER AND CUDAToolkit_FOUND)
  set(_cuda_found ON)
endif()
set(_cudnn_found OFF)
if(_cuda_found AND CUDNN_LIBRARY AND CUDNN_INCLUDE_DIR AND CUDNN_FRONTEND_INCLUDE_DIR)
  set(_cudnn_found ON)
elseif(_cuda_found AND CUDNN_LIBRARY AND CUDNN_INCLUDE_DIR)
  message(STATUS "tconv: cuDNN found but not cudnn-frontend (cudnn_frontend.h): the cudnn backend is off; "
                 "run tools/setup.sh (pip package nvidia-cudnn-frontend) or set CUDNN_FRONTEND_INCLUDE_DIR")
endif()

option(TCONV_WITH_OPENMP "OpenMP parallel loops and the openmp backend" ${OpenMP_CXX_FOUND})
option(TCONV_WITH_CUDA "CUDA device support and the custom CUDA backend" ${_cuda_found})
option(TCONV_WITH_CUDNN "the cuDNN backend" ${_cudnn_found})
option(TCONV_WITH_ONEDNN "the oneDNN backend" ${_dnnl_found})
set(_cutlass_found OFF)
if(TCONV_WITH_CUDA AND CUTLASS_INCLUDE_DIR)
  set(_cutlass_found ON)
endif()
option(TCONV_WITH_CUTLASS "the cuda backend's Hopper wgmma family (CuTe)" ${_cutlass_found})
if(TCONV_WITH_CUTLASS AND NOT (TCONV_WITH_CUDA AND CUTLASS_INCLUDE_DIR))
  message(FATAL_ERROR "TCONV_WITH_CUTLASS=ON needs TCONV_WITH_CUDA and CuTe's headers (cute/tensor.hpp: tools/setup.sh "
                      "installs the pip package nvidia-cutlass; or set CUTLASS_INCLUDE_DIR); found '${CUTLASS_INCLUDE_DIR}'")
endif()

if(TCONV_WITH_OPENMP AND NOT OpenMP_CXX_FOUND)
  message(FATAL_ERROR "TCONV_WITH_OPENMP=ON but OpenMP was not found")
endif()
if(TCONV_WITH_CUDA)
  if(NOT _cuda_found)
    message(FATAL_ERROR "TCONV_WITH_CUDA=ON but nvcc / the CUDA toolkit was not found")
  endif()
  # Hopper (H100, H200) is what the project's GPU machines have; override for others.
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90)
  endif()
  enable_language(CUDA)
  # CMake 3.25 predates nvcc 13 and does not know its C++20 flag: teach it.
  set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA_STANDARD 20)
  set(CMAKE_CUDA_STANDARD_REQUIRED ON)
endif()
if(TCONV_WITH_CUDNN AND NOT (TCONV_WITH_CUDA AND _cudnn_found))
  message(FATAL_ERROR "TCONV_WITH_CUDNN=ON needs TCONV_WITH_CUDA, cuDNN (cudnn.h, libcudnn) and cudnn-frontend "
                      "(cudnn_frontend.h: tools/setup.sh installs the pip package nvidia-cudnn-frontend; or set "
                      "CUDNN_FRONTEND_INCLUDE_DIR); found: cudnn.h '${CUDNN_INCLUDE_DIR}', libcudnn '${CUDNN_LIBRARY}', "
                      "cudnn_frontend.h '${CUDNN_FRONTEND_INCLUDE_DIR}'")
endif()
if(TCONV_WITH_ONEDNN AND NOT _dnnl_found)
  message(FATAL_ERROR "TCONV_WITH_ONEDNN=ON but oneDNN (libdnnl-dev) was not found")
endif()

# Native backtraces of a crashed supervised worker: Boost.Stacktrace (header-only) over gcc's
# libbacktrace (static, so a carried bundle needs no extra library). Optional: without it a
# CRASHED row names the signal and the worker's stderr only.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_DEFINITIONS -DBOOST_STACKTRACE_USE_BACKTRACE)
set(CMAKE_REQUIRED_LIBRARIES backtrace dl)
check_cxx_source_compiles("#include <boost/stacktrace.hpp>
int main() { return boost::stacktrace::stacktrace().size() > 1000; }" TCONV_HAVE_STACKTRACE)
unset(CMAKE_REQUIRED_DEFINITIONS)
unset(CMAKE_REQUIRED_LIBRARIES)

message(STATUS "tconv: TCONV_WITH_OPENMP=${TCONV_WITH_OPENMP}")
message(STATUS "tconv: TCONV_WITH_CUDA=${TCONV_WITH_CUDA} ${CMAKE_CUDA_COMPILER} (archs ${CMAKE_CUDA_ARCHITECTURES})")
message(STATUS "tconv: TCONV_WITH_CUDNN=${TCONV_WITH_CUDNN} ${CUDNN_LIBRARY} (cudnn-frontend: ${CUDNN_FRONTEND_INCLUDE_DIR})")
message(STATUS "tconv: TCONV_WITH_ONEDNN=${TCONV_WITH_ONEDNN}")
message(STATUS "tconv: TCONV_WITH_CUTLASS=${TCONV_WITH_CUTLASS} ${CUTLASS_INCLUDE_DIR}")
message(STATUS "tconv: crash backtraces (Boost.Stacktrace + libbacktrace): ${TCONV_HAVE_STACKTRACE}")
