// run_results_codec.cpp - the byte form of RunResults and TraceRecord. Each struct's
// fields are listed once, in fields(); the encoder and the decoder both walk that list.
#include "experiment/run_results_codec.hpp"

#include <array>
#include <bit>
#include <type_traits>
#include <utility>

namespace mxsim::experiment {
namespace {

// ---- a struct's number of fields, to notice a field added to a result struct -------

struct AnyField {
    template <class T>
    operator T() const;  // never defined: only used in unevaluated brace-initialisation
};

template <class T, std::size_t... I>
constexpr bool brace_constructible(std::index_sequence<I...>) {
    return requires {
        T{((void)I, AnyField{})...};
    };
}

template <class T, std::size_t N = 0>
constexpr std::size_t field_count() {
    if constexpr (brace_constructible<T>(std::make_index_sequence<N + 1>{}))
        return field_count<T, N + 1>();
    else
        return N;
}

// If one of these fails, a result struct gained or lost a field: list it in that
// struct's fields() below (and fill it in tests/experiment/run_results_codec_test.cpp),
// then update the count here.
static_assert(field_count<model::MtaFlows>() == 11,
              "MtaFlows gained or lost a field: see the comment above");
static_assert(field_count<model::MtaResults>() == 6,
              "MtaResults gained or lost a field: see the comment above");
static_assert(field_count<model::RunResults::NdrFlow>() == 3,
              "NdrFlow gained or lost a field: see the comment above");
static_assert(field_count<model::NamedSeries>() == 2,
              "NamedSeries gained or lost a field: see the comment above");
static_assert(field_count<model::RunResults>() == 22,
              "RunResults gained or lost a field: see the comment above");
static_assert(field_count<model::TraceRecord>() == 10,
              "TraceRecord gained or lost a field: see the comment above");

// ---- the field lists ----------------------------------------------------------------
// `Io` is an Encoder (fields are const) or a Decoder; `io(a, b, ...)` visits them in order.

template <class Io>
void fields(Io& io, typename Io::template Field<model::MtaFlows>& f) {
    io(f.received, f.submitted, f.generated, f.delivered, f.relayed, f.bounced, f.expired,
       f.dropped, f.discarded, f.queued, f.peak_queued);
}

template <class Io>
void fields(Io& io, typename Io::template Field<model::MtaResults>& m) {
    io(m.host, m.flows, m.ndrs_generated, m.smtp_sessions, m.dns_queries, m.messages_received);
}

template <class Io>
void fields(Io& io, typename Io::template Field<model::RunResults::NdrFlow>& f) {
    io(f.from_host, f.to_domain, f.count);
}

template <class Io>
void fields(Io& io, typename Io::template Field<model::RunResults>& r) {
    io(r.fates, r.messages, r.ndr_recipients, r.mtas, r.ndrs_delivered, r.backscatter_delivered,
       r.backscatter_victims, r.ndr_flows, r.smtp_sessions, r.events, r.end, r.legit_delay_p50_s,
       r.legit_delay_p95_s, r.legit_delay_p99_s, r.legit_bounce_delay_mean_s, r.bin_width,
       r.ndrs_generated_per_bin, r.delivered_per_bin, r.queued_mean_per_bin, r.backscatter_per_bin,
       r.series, r.smtp_bytes);
}

template <class Io>
void fields(Io& io, typename Io::template Field<model::NamedSeries>& s) {
    io(s.name, s.bins);
}

template <class Io>
void fields(Io& io, typename Io::template Field<model::TraceRecord>& t) {
    io(t.t, t.msg, t.parent, t.from, t.to, t.stage, t.code, t.enhanced, t.action, t.reason);
}

// ---- walking the lists --------------------------------------------------------------

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
template <class T>
struct IsArray : std::false_type {};
template <class T, std::size_t N>
struct IsArray<std::array<T, N>> : std::true_type {};
template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

class Encoder {
  public:
    template <class T>
    using Field = const T;

    explicit Encoder(ByteWriter& w) : w_(w) {}

    template <class... T>
    void operator()(const T&... v) {
        (one(v), ...);
    }

  private:
    template <class T>
    void one(const T& v) {
        if constexpr (std::is_integral_v<T>) {
            w_.u64(static_cast<std::uint64_t>(v));
        } else if constexpr (std::is_same_v<T, double>) {
            w_.f64(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
            w_.bytes(v);
        } else if constexpr (IsVector<T>::value) {
            w_.u64(v.size());
            for (const auto& e : v)
                one(e);
        } else if constexpr (IsArray<T>::value) {
            for (const auto& e : v)
                one(e);
        } else if constexpr (IsPair<T>::value) {
            one(v.first);
            one(v.second);
        } else {
            fields(*this, v);
        }
    }

    ByteWriter& w_;
};

class Decoder {
  public:
    template <class T>
    using Field = T;

    explicit Decoder(ByteReader& r) : r_(r) {}

    template <class... T>
    void operator()(T&... v) {
        (one(v), ...);
    }

  private:
    template <class T>
    void one(T& v) {
        if constexpr (std::is_integral_v<T>) {
            v = checked<T>(r_.u64());
        } else if constexpr (std::is_same_v<T, double>) {
            v = r_.f64();
        } else if constexpr (std::is_same_v<T, std::string>) {
            v = r_.bytes();
        } else if constexpr (IsVector<T>::value) {
            const std::uint64_t n = r_.u64();
            v.clear();
            for (std::uint64_t i = 0; i < n; ++i)
                one(v.emplace_back());
        } else if constexpr (IsArray<T>::value) {
            for (auto& e : v)
                one(e);
        } else if constexpr (IsPair<T>::value) {
            one(v.first);
            one(v.second);
        } else {
            fields(*this, v);
        }
    }

    // The integer the writer had: its two's complement bits, checked to fit T.
    template <class T>
    static T checked(std::uint64_t bits) {
        if constexpr (std::is_same_v<T, bool>) {
            if (bits > 1) throw CodecError("result bytes: a flag is not 0 or 1");
            return bits == 1;
        } else {
            const T v = static_cast<T>(bits);
            if (static_cast<std::uint64_t>(v) != bits)
                throw CodecError("result bytes: a number out of range");
            return v;
        }
    }

    ByteReader& r_;
};

template <class T>
std::string encode(const T& v) {
    ByteWriter w;
    Encoder e(w);
    e(v);
    return w.data();
}

template <class T>
T decode(std::string_view bytes) {
    ByteReader r(bytes);
    Decoder d(r);
    T v{};
    d(v);
    r.expect_end();
    return v;
}

}  // namespace

void ByteWriter::u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void ByteWriter::f64(double v) {
    u64(std::bit_cast<std::uint64_t>(v));
}

void ByteWriter::bytes(std::string_view s) {
    u64(s.size());
    out_.append(s);
}

std::string_view ByteReader::take(std::size_t n) {
    if (n > in_.size())
        throw CodecError("result bytes: truncated (" + std::to_string(n) +
                         " more bytes expected, " + std::to_string(in_.size()) + " left)");
    const std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
}

std::uint64_t ByteReader::u64() {
    const std::string_view b = take(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
    return v;
}

double ByteReader::f64() {
    return std::bit_cast<double>(u64());
}

std::string ByteReader::bytes() {
    const std::uint64_t n = u64();
    if (n > in_.size()) take(n);  // throws: a length beyond the end
    return std::string(take(static_cast<std::size_t>(n)));
}

void ByteReader::expect_end() const {
    if (!in_.empty())
        throw CodecError("result bytes: " + std::to_string(in_.size()) +
                         " unexpected bytes after the end");
}

std::string encode_run_results(const model::RunResults& r) {
    return encode(r);
}
model::RunResults decode_run_results(std::string_view bytes) {
    return decode<model::RunResults>(bytes);
}
std::string encode_trace(const std::vector<model::TraceRecord>& trace) {
    return encode(trace);
}
std::vector<model::TraceRecord> decode_trace(std::string_view bytes) {
    return decode<std::vector<model::TraceRecord>>(bytes);
}

}  // namespace mxsim::experiment
