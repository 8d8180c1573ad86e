#include "core/reader.hpp"

namespace myo {

const Json* Reader::member(const Json& obj, const std::string& path, const char* key,
                           bool required) {
    if (!obj.is_object()) {
        return nullptr;
    }
    auto it = obj.find(key);
    if (it == obj.end()) {
        if (required) {
            problem(join_path(path, key), "required");
        }
        return nullptr;
    }
    return &*it;
}

bool Reader::is_object(const Json& value, const std::string& path) {
    if (!value.is_object()) {
        problem(path, "expected an object, got " + describe_value(value));
        return false;
    }
    return true;
}

std::optional<std::string> Reader::string(const Json& obj, const std::string& path, const char* key,
                                          bool required) {
    const Json* v = member(obj, path, key, required);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_string()) {
        problem(join_path(path, key), "expected a string, got " + describe_value(*v));
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<double> Reader::number(const Json& obj, const std::string& path, const char* key,
                                     bool required) {
    const Json* v = member(obj, path, key, required);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_number()) {
        problem(join_path(path, key), "expected a number, got " + describe_value(*v));
        return std::nullopt;
    }
    return v->get<double>();
}

std::optional<bool> Reader::boolean(const Json& obj, const std::string& path, const char* key,
                                    bool required) {
    const Json* v = member(obj, path, key, required);
    if (!v) {
        return std::nullopt;
    }
    if (!v->is_boolean()) {
        problem(join_path(path, key), "expected true or false, got " + describe_value(*v));
        return std::nullopt;
    }
    return v->get<bool>();
}

const Json* Reader::array(const Json& obj, const std::string& path, const char* key,
                          bool required) {
    const Json* v = member(obj, path, key, required);
    if (v && !v->is_array()) {
        problem(join_path(path, key), "expected an array, got " + describe_value(*v));
        return nullptr;
    }
    return v;
}

const Json* Reader::object(const Json& obj, const std::string& path, const char* key,
                           bool required) {
    const Json* v = member(obj, path, key, required);
    if (v && !v->is_object()) {
        problem(join_path(path, key), "expected an object, got " + describe_value(*v));
        return nullptr;
    }
    return v;
}

std::vector<std::string> Reader::strings(const Json& obj, const std::string& path, const char* key,
                                         bool required) {
    std::vector<std::string> out;
    const Json* arr = array(obj, path, key, required);
    if (!arr) {
        return out;
    }
    std::string base = join_path(path, key);
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Json& v = (*arr)[i];
        if (!v.is_string()) {
            problem(join_path(base, i), "expected a string, got " + describe_value(v));
        } else {
            out.push_back(v.get<std::string>());
        }
    }
    return out;
}

}  // namespace myo
