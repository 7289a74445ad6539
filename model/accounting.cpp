// accounting.cpp - the balance check run after every simulation.
#include "model/accounting.hpp"

namespace mxsim::model {

void check_books(const std::vector<Message>& messages, const std::vector<MtaFlows>& flows,
                 const FateTable& fates, const std::vector<std::string>& host_names,
                 bool every_message_kept) {
    std::vector<std::uint64_t> unsettled(flows.size(), 0);
    FateTable recount{};
    for (const Message& m : messages) {
        ++recount[static_cast<std::size_t>(m.origin)][static_cast<std::size_t>(m.fate)];
        if (m.fate == Fate::Queued && !m.direct) ++unsettled.at(m.owner);
    }
    for (std::size_t h = 0; h < flows.size(); ++h) {
        const MtaFlows& f = flows[h];
        if (f.in() != f.out() + f.queued)
            throw AccountingError("books do not balance at " + host_names[h] + ": in " +
                                  std::to_string(f.in()) + " != out " + std::to_string(f.out()) +
                                  " + queued " + std::to_string(f.queued));
        if (f.queued != unsettled[h])
            throw AccountingError("books do not balance at " + host_names[h] + ": " +
                                  std::to_string(f.queued) + " counted as queued, but " +
                                  std::to_string(unsettled[h]) + " messages held there");
    }
    for (std::size_t o = 0; o < kOriginCount && !every_message_kept; ++o)
        for (std::size_t f = 1; f < kFateCount; ++f)
            recount[o][f] = fates[o][f];  // reused slots: settled fates cannot be recounted
    if (recount != fates) throw AccountingError("fate table does not match the messages");
}

}  // namespace mxsim::model
