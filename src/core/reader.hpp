#pragma once
// Reading definition files (forms/*.json) field by field, collecting every problem with its
// JSON path instead of stopping at the first.

#include <optional>
#include <string>
#include <vector>

#include "core/json_util.hpp"

namespace myo {

class Reader {
  public:
    explicit Reader(std::vector<Problem>& problems) : problems_(problems) {}

    void problem(const std::string& path, const std::string& message) {
        problems_.push_back({path, message});
    }

    // Each returns nullopt (and records a problem if required) when absent or mistyped.
    std::optional<std::string> string(const Json& obj, const std::string& path, const char* key,
                                      bool required = true);
    std::optional<double> number(const Json& obj, const std::string& path, const char* key,
                                 bool required = true);
    std::optional<bool> boolean(const Json& obj, const std::string& path, const char* key,
                                bool required = true);
    // An array member; returns nullptr when absent (problem if required) or not an array.
    const Json* array(const Json& obj, const std::string& path, const char* key,
                      bool required = true);
    const Json* object(const Json& obj, const std::string& path, const char* key,
                       bool required = true);
    std::vector<std::string> strings(const Json& obj, const std::string& path, const char* key,
                                     bool required = true);
    bool is_object(const Json& value, const std::string& path);

  private:
    const Json* member(const Json& obj, const std::string& path, const char* key, bool required);
    std::vector<Problem>& problems_;
};

}  // namespace myo
