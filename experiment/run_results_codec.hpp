// run_results_codec.hpp - one job's results as a compact byte string, to carry them
// between processes (experiment/mpi_farm). Offers ByteWriter/ByteReader (little-endian
// integers, exact doubles, length-prefixed strings) and encode/decode of
// model::RunResults and trace records; decoding throws CodecError on malformed input.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/run_results.hpp"
#include "model/trace.hpp"

namespace mxsim::experiment {

class CodecError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class ByteWriter {
  public:
    void u64(std::uint64_t v);
    void f64(double v);  // the exact bits: NaN and -0 survive
    void bytes(std::string_view s);
    const std::string& data() const { return out_; }

  private:
    std::string out_;
};

class ByteReader {
  public:
    explicit ByteReader(std::string_view in) : in_(in) {}
    std::uint64_t u64();
    double f64();
    std::string bytes();
    // Throws unless everything was read.
    void expect_end() const;

  private:
    std::string_view take(std::size_t n);
    std::string_view in_;
};

std::string encode_run_results(const model::RunResults& r);
model::RunResults decode_run_results(std::string_view bytes);
std::string encode_trace(const std::vector<model::TraceRecord>& trace);
std::vector<model::TraceRecord> decode_trace(std::string_view bytes);

}  // namespace mxsim::experiment
