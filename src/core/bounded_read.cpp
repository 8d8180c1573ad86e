#include "core/bounded_read.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace myo {

namespace {

BoundedRead read_stream(std::istream& in, std::size_t max_bytes) {
    std::string text(max_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        return {std::nullopt, ReadProblem::kInputOutput};
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
        return {std::nullopt, ReadProblem::kTooLarge};
    }
    return {std::move(text), std::nullopt};
}

}  // namespace

BoundedRead read_bounded_file(const std::string& path, std::size_t max_bytes) {
    if (path == "-") {
        return read_stream(std::cin, max_bytes);
    }
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (std::filesystem::is_directory(status)) {
        return {std::nullopt, ReadProblem::kDirectory};
    }
    if (!ec && std::filesystem::is_regular_file(status) &&
        std::filesystem::file_size(path, ec) > max_bytes && !ec) {
        return {std::nullopt, ReadProblem::kTooLarge};
    }
    // A FIFO or a device is read like standard input, bounded; a regular file was sized (and a
    // file that grows meanwhile still stops at max_bytes + 1).
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {std::nullopt, ReadProblem::kUnreadable};
    }
    return read_stream(in, max_bytes);
}

}  // namespace myo
