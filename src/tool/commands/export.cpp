// `twolayer export`: a trained network (.npy files from `twolayer train --save-weights`, or a
// weight blob) as a C++ header of constexpr arrays for flash, with the flash_weights that views
// them (docs/TOOL.md, "export"). The work is in src/tool/export: reading (network_values), the
// storage types (codec), rounding into them (encode), the names (identifier) and the text (header).
// Exit codes: 0 written; 1 the write failed; 2 bad input (one line, no file left behind).
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "../atomic_file.hpp"
#include "../command.hpp"
#include "../common_options.hpp"
#include "../export/codec.hpp"
#include "../export/encode.hpp"
#include "../export/header.hpp"
#include "../export/identifier.hpp"
#include "../export/network_values.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct export_options {
    std::string weights, blob, format, activation, name, out;
};

const char* const activation_names[] = {"erf", "relu", "quadratic", "tanh", "sigmoid", "linear", "abs"};

// A word for the shell: as it is when it needs no quoting, else in single quotes.
std::string shell_word(const std::string& s) {
    const bool plain = !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "0123456789_-+=./:,@%") == std::string::npos;
    if (plain) return s;
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
}

// The command that writes the same header: every choice spelled out, defaults resolved.
std::string command_line(const export_options& o, const std::string& format, const std::string& activation) {
    std::string c = "twolayer export";
    c += o.blob.empty() ? " --weights " + shell_word(o.weights) : " --blob " + shell_word(o.blob);
    c += " --format " + shell_word(format) + " --activation " + activation + " --name " + o.name;
    return c + " --out " + shell_word(o.out);
}

activation_id activation_named(const std::string& name) {
    for (activation_id a : {activation_id::erf, activation_id::relu, activation_id::quadratic, activation_id::tanh,
                            activation_id::sigmoid, activation_id::linear, activation_id::abs})
        if (name == activation_name(a)) return a;
    throw usage_error("--activation", name, "not an activation");  // one_of checked the names already
}

// The activation: --activation, or the blob's; with .npy files, --activation is required, and
// with a blob it must agree with the blob's.
activation_id resolve_activation(const export_options& o, const exporter::network_values& values) {
    if (!values.activation) {
        if (o.activation.empty())
            throw usage_error("--activation", "", "required with --weights (.npy files do not say which activation the "
                                                  "network was trained with)");
        return activation_named(o.activation);
    }
    if (!o.activation.empty() && activation_named(o.activation) != *values.activation)
        throw usage_error("--activation", o.activation,
                          std::string("the blob's network uses ") + activation_name(*values.activation));
    return *values.activation;
}

int run_export(const export_options& o) {
    if (o.weights.empty() == o.blob.empty()) throw usage_error("give the network as --weights DIR or --blob FILE");
    exporter::check_identifier(o.name);
    const exporter::network_values values =
        o.blob.empty() ? exporter::read_weights_dir(o.weights) : exporter::read_blob_file(o.blob);
    exporter::header_content h;
    h.format = o.format.empty() ? values.format : o.format;
    const std::size_t slash = h.format.find('/');
    h.storage = exporter::codec_named(h.format.substr(0, slash));
    if (!h.storage) throw usage_error("--format", h.format, "not a storage format");  // one_of checked the names
    h.compute = slash == std::string::npos ? h.storage->compute : h.format.substr(slash + 1);
    h.activation = resolve_activation(o, values);
    h.n = values.n;
    h.p = values.p;
    if (h.n > h.storage->max_inputs)
        throw usage_error("--format", h.format,
                          "N = " + std::to_string(h.n) + " inputs exceed the format's dot length " +
                              std::to_string(h.storage->max_inputs) + " (its accumulator could overflow)");
    h.values = exporter::encode_network(values, *h.storage);
    h.command = command_line(o, h.format, activation_name(h.activation));
    h.source = values.description;
    h.name = o.name;
    atomic_file file(o.out, "--out");
    exporter::write_header(file.stream(), h);
    file.commit();
    std::printf("twolayer export: %s: N = %zu, P = %zu, %s, %s, %zu values rounded (largest change %.3g)\n",
                o.out.c_str(), h.n, h.p, h.format.c_str(), activation_name(h.activation), h.values.changed,
                h.values.largest_change);
    return 0;
}

command_main setup_export(CLI::App& sub) {
    auto o = std::make_shared<export_options>();
    sub.footer("The header defines, in namespace NAME: format, storage, activation, N, P, the arrays W (P x N "
               "row-major), v, b and c (the biases only when the network uses them), weights (a "
               "twolayer::flash_weights viewing them) and the types flash_network (inference, every weight read "
               "from flash) and readout_network (W and b in flash, v and c copied to RAM for retraining): "
               "NAME::flash_network net(NAME::weights);\n");
    CLI::Option* weights = sub.add_option("--weights", o->weights,
                                          "DIR with W.npy (P, N) and v.npy (P,), optionally b.npy (P,) and c.npy () "
                                          "(twolayer train --save-weights writes DIR/chain_J)");
    CLI::Option* blob = sub.add_option("--blob", o->blob, "a weight blob file (twolayer/io/blob.hpp's save_blob)");
    weights->excludes(blob);
    sub.add_option("--format", o->format,
                   "storage of the arrays (S/C: storage S, arithmetic C); values are rounded to nearest, and one "
                   "out of the format's range is an error (default: the blob's format; for .npy files float when "
                   "every file is float32, else double)")
        ->transform(one_of(format_names()));
    sub.add_option("--activation", o->activation, "the network's activation (required with --weights; a blob's own)")
        ->transform(one_of(std::vector<std::string>(std::begin(activation_names), std::end(activation_names))));
    sub.add_option("--name", o->name, "the C++ namespace of the arrays (an identifier, or several joined by ::)")
        ->required();
    sub.add_option("--out", o->out, "the header written (atomically: complete or not at all)")->required();
    return [o] { return run_export(*o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("export", "a trained network (.npy weights or a weight blob) as a C++ header of constexpr "
                                "arrays for flash", setup_export);

}  // namespace twolayer::tool
