// A fresh private directory under $TMPDIR (or /tmp) for one exchange with an external
// command; removed when the object dies unless TCONV_EXTERNAL_KEEP is set (then its path is in
// the failure message for a look).
#pragma once

#include <string>

namespace tconv {

class WorkDir {
 public:
  explicit WorkDir(const char* prefix = "tconv-external");
  ~WorkDir();
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::string& path() const { return path_; }  // empty: it could not be created
  static bool keep();
  void release() { path_.clear(); }  // the caller removes the directory

 private:
  std::string path_;
};

}  // namespace tconv
