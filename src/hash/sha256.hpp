#pragma once
// SHA-256 on OpenSSL's libcrypto, shared by the store (audit chain, backup checksums) and the
// reports (font pinning). Outside core, which stays free of third-party C libraries.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace myo {

class Sha256 {
  public:
    Sha256();  // throws std::runtime_error if OpenSSL cannot start a digest
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    std::string hex();  // lower-case, 64 characters; ends the digest

  private:
    evp_md_ctx_st* ctx_;
};

std::string sha256_hex(std::string_view data);
// Throws std::runtime_error naming the file when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace myo
